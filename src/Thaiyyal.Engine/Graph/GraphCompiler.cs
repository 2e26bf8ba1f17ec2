using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;

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

        var bound = BindAll(nodes, registry);

        var byId = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (!byId.TryAdd(nodes[i].Id, i)) throw Graph($"duplicate node id: {nodes[i].Id}", nodes[i].Id);
        }
        foreach (var edge in edges)
        {
            if (!byId.ContainsKey(edge.Source))
                throw Graph($"edge references unknown node: {edge.Source} (edge {edge.Source} -> {edge.Target})", edge.Target);
            if (!byId.ContainsKey(edge.Target))
                throw Graph($"edge references unknown node: {edge.Target} (edge {edge.Source} -> {edge.Target})", edge.Source);
        }
        for (var i = 0; i < nodes.Count; i++)
        {
            if (bound[i] is null)
                throw Graph($"no executor registered for type: {nodes[i].Type} (node {nodes[i].Id})", nodes[i].Id);
        }
        CheckScopes(nodes, edges, byId, bound);
        return BuildLevel(null, nodes, edges, bound!);
    }

    private static PlanNode?[] BindAll(IReadOnlyList<NodeDefinition> nodes, NodeRegistry registry)
    {
        var bound = new PlanNode?[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (!registry.TryGet(node.Type, out var executor)) continue;
            object? options = null;
            if (node.Data is not null)
            {
                try
                {
                    var data = new NodeData(executor.Descriptor, node.Data);
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
            bound[i] = new PlanNode(node.Id, node.Type, executor, options, options is not null && executor.IsIndependent(options));
        }
        return bound;
    }

    private static void CheckScopes(IReadOnlyList<NodeDefinition> nodes, IReadOnlyList<EdgeDefinition> edges, Dictionary<string, int> byId, PlanNode?[] bound)
    {
        foreach (var node in nodes)
        {
            if (node.ParentId is null) continue;
            if (!byId.TryGetValue(node.ParentId, out var parent))
                throw Graph($"node {node.Id} names unknown parent node: {node.ParentId}", node.Id);
            if (!bound[parent]!.Executor.Descriptor.IsScope)
                throw Graph($"node {node.Id} is inside {node.ParentId}, which is a {nodes[parent].Type} node and cannot have a body", node.Id);
            // Walk up: a parent chain that returns to the node is a containment cycle.
            var seen = new HashSet<string>(StringComparer.Ordinal) { node.Id };
            for (var p = node.ParentId; p is not null; p = nodes[byId[p]].ParentId)
            {
                if (!seen.Add(p)) throw Graph($"scope nesting forms a cycle at node {node.Id}", node.Id);
            }
        }
        foreach (var edge in edges)
        {
            var sourceParent = nodes[byId[edge.Source]].ParentId;
            var targetParent = nodes[byId[edge.Target]].ParentId;
            if (sourceParent != targetParent)
            {
                throw Graph(
                    $"edge {edge.Source} -> {edge.Target} crosses a scope boundary: {edge.Source} is in {sourceParent ?? "the workflow"}, {edge.Target} is in {targetParent ?? "the workflow"}",
                    edge.Target);
            }
        }
    }

    private static GraphPlan BuildLevel(string? parentId, IReadOnlyList<NodeDefinition> all, IReadOnlyList<EdgeDefinition> allEdges, PlanNode[] bound)
    {
        var members = new List<int>();
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].ParentId == parentId) members.Add(i);
        }
        var local = new Dictionary<string, int>(members.Count, StringComparer.Ordinal);
        for (var k = 0; k < members.Count; k++) local[all[members[k]].Id] = k;

        var levelEdges = new List<(int Source, int Target, string? Handle)>();
        foreach (var e in allEdges)
        {
            if (local.TryGetValue(e.Source, out var s) && local.TryGetValue(e.Target, out var t)) levelEdges.Add((s, t, e.SourceHandle));
        }

        var order = TopologicalOrder(members.Count, levelEdges, k => all[members[k]].Id, out var remaining);
        if (order.Count != members.Count)
        {
            var cycle = FindCycle(remaining, levelEdges, k => all[members[k]].Id);
            throw Graph($"workflow contains cycles (circular dependencies): {cycle}", all[members[remaining.First()]].Id);
        }

        var position = new int[members.Count];
        for (var p = 0; p < order.Count; p++) position[order[p]] = p;

        var planNodes = new PlanNode[members.Count];
        var incoming = new List<PlanEdge>[members.Count];
        var dependents = new List<int>[members.Count];
        for (var p = 0; p < order.Count; p++)
        {
            planNodes[p] = bound[members[order[p]]];
            incoming[p] = [];
            dependents[p] = [];
        }
        var isSource = new bool[members.Count];
        foreach (var (s, t, handle) in levelEdges)
        {
            incoming[position[t]].Add(new PlanEdge(position[s], handle));
            dependents[position[s]].Add(position[t]);
            isSource[position[s]] = true;
        }

        var ordered = new List<int>();
        var terminals = new List<int>();
        var indexById = new Dictionary<string, int>(members.Count, StringComparer.Ordinal);
        for (var p = 0; p < planNodes.Length; p++)
        {
            indexById[planNodes[p].Id] = p;
            if (!planNodes[p].IsIndependent) ordered.Add(p);
            if (!isSource[p]) terminals.Add(p);
        }

        foreach (var node in planNodes)
        {
            if (!node.Executor.Descriptor.IsScope) continue;
            var hasBody = false;
            foreach (var n in all)
            {
                if (n.ParentId == node.Id)
                {
                    hasBody = true;
                    break;
                }
            }
            if (hasBody) node.Body = BuildLevel(node.Id, all, allEdges, bound);
        }

        return new GraphPlan
        {
            Nodes = planNodes,
            Incoming = [.. incoming.Select(l => l.ToArray())],
            Dependents = [.. dependents.Select(l => l.ToArray())],
            OrderedNodes = [.. ordered],
            Terminals = [.. terminals],
            IndexById = indexById,
        };
    }

    /// <summary>
    /// Kahn's algorithm as the original ran it: the initial queue is every in-degree-0 node sorted by id
    /// (ordinal); later nodes are appended as their in-degree reaches 0, walking edges in payload order.
    /// </summary>
    private static List<int> TopologicalOrder(int count, List<(int Source, int Target, string? Handle)> edges, Func<int, string> idOf, out HashSet<int> remaining)
    {
        var inDegree = new int[count];
        var outgoing = new List<int>[count];
        for (var i = 0; i < count; i++) outgoing[i] = [];
        foreach (var (s, t, _) in edges)
        {
            inDegree[t]++;
            outgoing[s].Add(t);
        }
        var initial = new List<int>();
        for (var i = 0; i < count; i++)
        {
            if (inDegree[i] == 0) initial.Add(i);
        }
        initial.Sort((a, b) => string.CompareOrdinal(idOf(a), idOf(b)));
        var queue = new Queue<int>(initial);
        var order = new List<int>(count);
        while (queue.Count > 0)
        {
            var n = queue.Dequeue();
            order.Add(n);
            foreach (var t in outgoing[n])
            {
                if (--inDegree[t] == 0) queue.Enqueue(t);
            }
        }
        remaining = [];
        for (var i = 0; i < count; i++)
        {
            if (inDegree[i] > 0) remaining.Add(i);
        }
        return order;
    }

    /// <summary>Names the nodes of one cycle among those Kahn's algorithm could not order: <c>a → b → a</c>.</summary>
    private static string FindCycle(HashSet<int> remaining, List<(int Source, int Target, string? Handle)> edges, Func<int, string> idOf)
    {
        var next = new Dictionary<int, int>();
        foreach (var (s, t, _) in edges)
        {
            // Every remaining node has a remaining predecessor, so following predecessors must loop.
            if (remaining.Contains(s) && remaining.Contains(t)) next.TryAdd(t, s);
        }
        var start = remaining.Min();
        var visited = new Dictionary<int, int>();
        var path = new List<int>();
        var current = start;
        while (!visited.ContainsKey(current))
        {
            visited[current] = path.Count;
            path.Add(current);
            current = next[current];
        }
        var loop = path.Skip(visited[current]).Reverse().ToList();
        loop.Add(loop[0]);
        return string.Join(" → ", loop.Select(idOf));
    }

    private static WorkflowException Graph(string message, string? nodeId = null) => new(WorkflowErrorKind.Graph, message, nodeId);
}
