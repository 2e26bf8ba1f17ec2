using System.Buffers;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Engine.Graph;

/// <summary>
/// Checks a <see cref="WorkflowDefinition"/> and turns it into <see cref="GraphPlan"/>s: binds every node's
/// data (decode errors first, as the original did), then rejects duplicate ids, dangling edges, unknown
/// types, bad scopes and cycles, each by name, before anything runs.
/// </summary>
internal static class GraphCompiler
{
    public static GraphPlan Compile(WorkflowDefinition definition, NodeRegistry registry, ExecutionLimits limits)
    {
        var nodes = definition.Nodes;
        var edges = definition.Edges;
        if (limits.MaxNodes > 0 && nodes.Count > limits.MaxNodes)
            throw Graph($"too many nodes: {nodes.Count} (limit: {limits.MaxNodes})");
        if (limits.MaxEdges > 0 && edges.Count > limits.MaxEdges)
            throw Graph($"too many edges: {edges.Count} (limit: {limits.MaxEdges})");

        var bound = ArrayPool<PlanNode?>.Shared.Rent(nodes.Count);
        try
        {
            BindAll(nodes, registry, limits.ExpressionLimits, bound);
            return Check(nodes, edges, bound);
        }
        finally
        {
            ArrayPool<PlanNode?>.Shared.Return(bound, clearArray: true);
        }
    }

    /// <summary>The checks after binding, then the plan; <paramref name="bound"/> holds each payload node's binding (null: unknown type).</summary>
    private static GraphPlan Check(IReadOnlyList<NodeDefinition> nodes, IReadOnlyList<EdgeDefinition> edges, PlanNode?[] bound)
    {
        // A small graph finds ids by scanning them: building a dictionary for a few nodes costs more than it saves.
        var byId = nodes.Count > GraphPlan.SmallGraph ? new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal) : null;
        for (var i = 0; i < nodes.Count; i++)
        {
            var duplicate = byId is null ? IndexOf(nodes, null, nodes[i].Id) < i : !byId.TryAdd(nodes[i].Id, i);
            if (duplicate) throw Graph($"duplicate node id: {nodes[i].Id}", nodes[i].Id);
        }
        for (var e = 0; e < edges.Count; e++)
        {
            var edge = edges[e];
            if (IndexOf(nodes, byId, edge.Source) < 0)
                throw Graph($"edge references unknown node: {edge.Source} (edge {edge.Source} -> {edge.Target})", edge.Target);
            if (IndexOf(nodes, byId, edge.Target) < 0)
                throw Graph($"edge references unknown node: {edge.Target} (edge {edge.Source} -> {edge.Target})", edge.Source);
        }
        for (var i = 0; i < nodes.Count; i++)
        {
            if (bound[i] is null)
                throw Graph($"no executor registered for type: {nodes[i].Type} (node {nodes[i].Id})", nodes[i].Id);
        }
        CheckScopes(nodes, edges, byId, bound);
        var hasScopes = false;
        for (var i = 0; i < nodes.Count; i++) hasScopes |= nodes[i].ParentId is not null;
        return BuildLevel(null, nodes, edges, bound!, byId, hasScopes);
    }

    /// <summary>The payload index of the node <paramref name="id"/> (the first, when ids repeat), or -1.</summary>
    private static int IndexOf(IReadOnlyList<NodeDefinition> nodes, Dictionary<string, int>? byId, string id)
    {
        if (byId is not null) return byId.TryGetValue(id, out var found) ? found : -1;
        for (var i = 0; i < nodes.Count; i++)
        {
            if (string.Equals(nodes[i].Id, id, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private static void BindAll(IReadOnlyList<NodeDefinition> nodes, NodeRegistry registry, ExpressionLimits expressionLimits, PlanNode?[] bound)
    {
        // One NodeData for the payload's nodes, pointed at each in turn (it is valid only while Bind runs).
        NodeData? data = null;
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (!registry.TryGet(node.Type, out var executor)) continue;
            object? options = null;
            if (node.Data is not null)
            {
                try
                {
                    if (data is null) data = new NodeData(executor.Descriptor, node.Data, expressionLimits);
                    else data.Rebind(executor.Descriptor, node.Data);
                    data.CheckFields();
                    options = executor.Bind(data);
                }
                catch (NodeDataException ex)
                {
                    throw new WorkflowException(
                        WorkflowErrorKind.Decode,
                        $"failed to parse payload: failed to unmarshal data for node {node.Id} (type {node.Type}): {ex.Message}",
                        node.Id);
                }
            }
            bound[i] = new PlanNode(node, executor, options);
        }
    }

    private static void CheckScopes(IReadOnlyList<NodeDefinition> nodes, IReadOnlyList<EdgeDefinition> edges, Dictionary<string, int>? byId, PlanNode?[] bound)
    {
        for (var n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            if (node.ParentId is null) continue;
            var parent = IndexOf(nodes, byId, node.ParentId);
            if (parent < 0)
                throw Graph($"node {node.Id} names unknown parent node: {node.ParentId}", node.Id);
            if (!bound[parent]!.Executor.Descriptor.IsScope)
                throw Graph($"node {node.Id} is inside {node.ParentId}, which is a {nodes[parent].Type} node and cannot have a body", node.Id);
        }
        // Every parent is known now, so a walk up a chain never meets an id it cannot find.
        for (var n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            if (node.ParentId is null) continue;
            // Walk up: a parent chain that returns to the node is a containment cycle.
            var seen = new HashSet<string>(StringComparer.Ordinal) { node.Id };
            for (var p = node.ParentId; p is not null; p = nodes[IndexOf(nodes, byId, p)].ParentId)
            {
                if (!seen.Add(p)) throw Graph($"scope nesting forms a cycle at node {node.Id}", node.Id);
            }
        }
        for (var e = 0; e < edges.Count; e++)
        {
            var edge = edges[e];
            var sourceParent = nodes[IndexOf(nodes, byId, edge.Source)].ParentId;
            var targetParent = nodes[IndexOf(nodes, byId, edge.Target)].ParentId;
            if (sourceParent != targetParent)
            {
                throw Graph(
                    $"edge {edge.Source} -> {edge.Target} crosses a scope boundary: {edge.Source} is in {sourceParent ?? "the workflow"}, {edge.Target} is in {targetParent ?? "the workflow"}",
                    edge.Target);
            }
        }
    }

    private static GraphPlan BuildLevel(string? parentId, IReadOnlyList<NodeDefinition> all, IReadOnlyList<EdgeDefinition> allEdges, PlanNode[] bound, Dictionary<string, int>? byId, bool hasScopes)
    {
        var ints = ArrayPool<int>.Shared;
        // Members of this level, by payload index; the common workflow without scopes is every node.
        var count = 0;
        var members = ints.Rent(all.Count);
        var localOf = hasScopes ? ints.Rent(all.Count) : null;
        for (var i = 0; i < all.Count; i++)
        {
            if (localOf is not null) localOf[i] = -1;
            if (all[i].ParentId != parentId) continue;
            if (localOf is not null) localOf[i] = count;
            members[count++] = i;
        }
        var ids = ArrayPool<string>.Shared.Rent(count);
        for (var m = 0; m < count; m++) ids[m] = all[members[m]].Id;

        // Edges of this level, in payload order, as local indices.
        var sources = ints.Rent(allEdges.Count);
        var targets = ints.Rent(allEdges.Count);
        var handles = ArrayPool<string?>.Shared.Rent(allEdges.Count);
        var edgeCount = 0;
        for (var e = 0; e < allEdges.Count; e++)
        {
            var edge = allEdges[e];
            var s = IndexOf(all, byId, edge.Source);
            var t = IndexOf(all, byId, edge.Target);
            if (localOf is not null)
            {
                if (localOf[s] < 0) continue;
                s = localOf[s];
                t = localOf[t];
            }
            sources[edgeCount] = s;
            targets[edgeCount] = t;
            handles[edgeCount++] = edge.SourceHandle;
        }

        var order = ints.Rent(count);
        try
        {
            var ordered = TopologicalOrder(count, sources.AsSpan(0, edgeCount), targets.AsSpan(0, edgeCount), ids, order);
            if (ordered != count)
            {
                var cycle = FindCycle(order.AsSpan(0, ordered), count, sources.AsSpan(0, edgeCount), targets.AsSpan(0, edgeCount), ids, out var first);
                throw Graph($"workflow contains cycles (circular dependencies): {cycle}", ids[first]);
            }
            var plan = Assemble(count, order, members, sources.AsSpan(0, edgeCount), targets.AsSpan(0, edgeCount), handles, bound);
            if (localOf is null)
            {
                // The top level of a workflow without scopes reuses the id map, re-pointed at topological positions.
                plan.IndexIds(byId);
            }
            else
            {
                plan.IndexIds(null);
                foreach (var node in plan.Nodes)
                {
                    if (node.Executor.Descriptor.IsScope && HasChildren(all, node.Id))
                        node.Body = BuildLevel(node.Id, all, allEdges, bound, byId, hasScopes);
                }
            }
            return plan;
        }
        finally
        {
            ints.Return(order);
            ints.Return(members);
            if (localOf is not null) ints.Return(localOf);
            ints.Return(sources);
            ints.Return(targets);
            ArrayPool<string>.Shared.Return(ids, clearArray: true);
            ArrayPool<string?>.Shared.Return(handles, clearArray: true);
        }
    }

    /// <summary>Builds the plan's flat arrays from a topological order of local indices.</summary>
    private static GraphPlan Assemble(int count, int[] order, int[] members, ReadOnlySpan<int> sources, ReadOnlySpan<int> targets, string?[] handles, PlanNode[] bound)
    {
        var ints = ArrayPool<int>.Shared;
        var position = ints.Rent(count);
        var incomingFill = ints.Rent(count);
        var dependentFill = ints.Rent(count);
        try
        {
            for (var p = 0; p < count; p++)
            {
                position[order[p]] = p;
                incomingFill[p] = 0;
                dependentFill[p] = 0;
            }
            var planNodes = new PlanNode[count];
            for (var p = 0; p < count; p++) planNodes[p] = bound[members[order[p]]];

            // Counted first, so the plan's integers take one array of their exact size (GraphPlan). The independence flags
            // are kept in incomingFill meanwhile (it is cleared before it is used for the edges).
            var edgeCount = sources.Length;
            for (var i = 0; i < edgeCount; i++) dependentFill[position[sources[i]]]++;
            var orderedCount = 0;
            var terminalCount = 0;
            for (var p = 0; p < count; p++)
            {
                incomingFill[p] = planNodes[p].BindsIndependent ? 1 : 0;
                if (incomingFill[p] == 0) orderedCount++;
                if (dependentFill[p] == 0) terminalCount++;
            }
            var data = new int[GraphPlan.Layout.Length(count, edgeCount, orderedCount, terminalCount)];
            var incomingStart = data.AsSpan(0, count + 1);
            var dependentStart = data.AsSpan(GraphPlan.Layout.DependentStart(count), count + 1);
            var dependents = data.AsSpan(GraphPlan.Layout.DependentTargets(count), edgeCount);
            var incomingSources = data.AsSpan(GraphPlan.Layout.IncomingSources(count, edgeCount), edgeCount);
            var independent = data.AsSpan(GraphPlan.Layout.Independent(count, edgeCount), count);
            var orderedNodes = data.AsSpan(GraphPlan.Layout.OrderedNodes(count, edgeCount), orderedCount);
            var terminals = data.AsSpan(GraphPlan.Layout.Terminals(count, edgeCount, orderedCount), terminalCount);
            incomingFill.AsSpan(0, count).CopyTo(independent);
            string?[]? incomingHandles = null;
            for (var i = 0; i < edgeCount; i++)
            {
                if (handles[i] is null) continue;
                incomingHandles = new string?[edgeCount];
                break;
            }

            // Incoming edges grouped by target position, payload order kept within a group.
            for (var i = 0; i < edgeCount; i++)
            {
                incomingStart[position[targets[i]] + 1]++;
                dependentStart[position[sources[i]] + 1]++;
            }
            for (var p = 0; p < count; p++)
            {
                incomingStart[p + 1] += incomingStart[p];
                dependentStart[p + 1] += dependentStart[p];
                incomingFill[p] = 0;
                dependentFill[p] = 0;
            }
            for (var i = 0; i < edgeCount; i++)
            {
                var s = position[sources[i]];
                var t = position[targets[i]];
                var slot = incomingStart[t] + incomingFill[t]++;
                incomingSources[slot] = s;
                if (incomingHandles is not null) incomingHandles[slot] = handles[i];
                dependents[dependentStart[s] + dependentFill[s]++] = t;
            }

            orderedCount = terminalCount = 0;
            for (var p = 0; p < count; p++)
            {
                if (independent[p] == 0) orderedNodes[orderedCount++] = p;
                if (dependentStart[p + 1] == dependentStart[p]) terminals[terminalCount++] = p;
            }
            return new GraphPlan(planNodes, data, incomingHandles, edgeCount, orderedCount);
        }
        finally
        {
            ints.Return(position);
            ints.Return(incomingFill);
            ints.Return(dependentFill);
        }
    }

    private static bool HasChildren(IReadOnlyList<NodeDefinition> all, string id)
    {
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].ParentId == id) return true;
        }
        return false;
    }

    /// <summary>
    /// Kahn's algorithm as the original ran it: the initial queue is every in-degree-0 node sorted by id
    /// (ordinal); later nodes are appended as their in-degree reaches 0, walking edges in payload order.
    /// Writes the order into <paramref name="queue"/> and returns its length (less than
    /// <paramref name="count"/> when there is a cycle).
    /// </summary>
    private static int TopologicalOrder(int count, ReadOnlySpan<int> sources, ReadOnlySpan<int> targets, string[] ids, int[] queue)
    {
        var ints = ArrayPool<int>.Shared;
        var inDegree = ints.Rent(count);
        var outStart = ints.Rent(count + 1);
        var fill = ints.Rent(count);
        var outTargets = ints.Rent(sources.Length);
        try
        {
            Array.Clear(inDegree, 0, count);
            Array.Clear(outStart, 0, count + 1);
            Array.Clear(fill, 0, count);
            foreach (var t in targets) inDegree[t]++;
            foreach (var s in sources) outStart[s + 1]++;
            for (var i = 0; i < count; i++) outStart[i + 1] += outStart[i];
            for (var i = 0; i < sources.Length; i++) outTargets[outStart[sources[i]] + fill[sources[i]]++] = targets[i];

            var tail = 0;
            for (var i = 0; i < count; i++)
            {
                if (inDegree[i] == 0) queue[tail++] = i;
            }
            if (tail > 1)
            {
                var keys = ArrayPool<string>.Shared.Rent(tail);
                for (var i = 0; i < tail; i++) keys[i] = ids[queue[i]];
                Array.Sort(keys, queue, 0, tail, StringComparer.Ordinal);
                ArrayPool<string>.Shared.Return(keys, clearArray: true);
            }
            var head = 0;
            while (head < tail)
            {
                var n = queue[head++];
                for (var j = outStart[n]; j < outStart[n + 1]; j++)
                {
                    if (--inDegree[outTargets[j]] == 0) queue[tail++] = outTargets[j];
                }
            }
            return tail;
        }
        finally
        {
            ints.Return(inDegree);
            ints.Return(outStart);
            ints.Return(fill);
            ints.Return(outTargets);
        }
    }

    /// <summary>Names the nodes of one cycle among those Kahn's algorithm could not order: <c>a → b → a</c>.</summary>
    private static string FindCycle(ReadOnlySpan<int> ordered, int count, ReadOnlySpan<int> sources, ReadOnlySpan<int> targets, string[] ids, out int first)
    {
        var remaining = new bool[count];
        Array.Fill(remaining, true);
        foreach (var o in ordered) remaining[o] = false;
        // Every remaining node has a remaining predecessor, so walking predecessors must loop.
        var predecessor = new int[count];
        Array.Fill(predecessor, -1);
        for (var i = 0; i < sources.Length; i++)
        {
            if (remaining[sources[i]] && remaining[targets[i]] && predecessor[targets[i]] < 0) predecessor[targets[i]] = sources[i];
        }
        var start = Array.IndexOf(remaining, true);
        var seenAt = new Dictionary<int, int>();
        var path = new List<int>();
        var current = start;
        while (!seenAt.ContainsKey(current))
        {
            seenAt[current] = path.Count;
            path.Add(current);
            current = predecessor[current];
        }
        var loop = path.Skip(seenAt[current]).Reverse().ToList();
        first = loop[0];
        loop.Add(loop[0]);
        return string.Join(" → ", loop.Select(i => ids[i]));
    }

    private static WorkflowException Graph(string message, string? nodeId = null) => new(WorkflowErrorKind.Graph, message, nodeId);
}
