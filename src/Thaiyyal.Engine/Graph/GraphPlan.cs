using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Engine.Graph;

/// <summary>One node, bound and ready to run.</summary>
internal sealed class PlanNode(string id, string type, NodeExecutor executor, object? options, bool isIndependent)
{
    public string Id { get; } = id;
    public string Type { get; } = type;
    public NodeExecutor Executor { get; } = executor;
    public object? Options { get; } = options;
    public bool IsIndependent { get; } = isIndependent;

    /// <summary>The body of a scope node (design/scopes.md); <c>null</c> when it has no body nodes.</summary>
    public GraphPlan? Body { get; set; }
}

/// <summary>An incoming edge as the scheduler needs it.</summary>
internal readonly record struct PlanEdge(int Source, string? Handle);

/// <summary>
/// One level of a workflow graph (the top level, or one scope's body) in topological order. Adjacency is
/// stored as flat arrays with offsets (compressed rows), so a plan costs a handful of allocations however
/// many nodes it has, and a run allocates arrays once rather than per node.
/// </summary>
internal sealed class GraphPlan
{
    public required PlanNode[] Nodes { get; init; }

    /// <summary>Incoming edges of every node, grouped by target; within a group in payload order (the order inputs are collected in).</summary>
    public required PlanEdge[] IncomingEdges { get; init; }

    /// <summary>Node <c>i</c>'s incoming edges are <c>IncomingEdges[IncomingStart[i]..IncomingStart[i + 1]]</c>.</summary>
    public required int[] IncomingStart { get; init; }

    /// <summary>Targets of every node's outgoing edges, grouped by source, one entry per edge.</summary>
    public required int[] DependentTargets { get; init; }

    public required int[] DependentStart { get; init; }

    /// <summary>Indices of nodes that must run in topological order relative to each other.</summary>
    public required int[] OrderedNodes { get; init; }

    /// <summary>Nodes that are the source of no edge, in topological order (final output, body exits).</summary>
    public required int[] Terminals { get; init; }

    /// <summary>Plans of at most this many nodes find an id by scanning their nodes instead of through a dictionary.</summary>
    public const int SmallGraph = 8;

    private Dictionary<string, int>? _indexById;

    /// <summary>
    /// Indexes the node ids after assembly: a dictionary (<paramref name="reuse"/> when given, re-pointed at
    /// topological positions) for plans of more than <see cref="SmallGraph"/> nodes; smaller plans scan.
    /// </summary>
    public void IndexIds(Dictionary<string, int>? reuse)
    {
        if (Count <= SmallGraph) return;
        var map = reuse ?? new Dictionary<string, int>(Count, StringComparer.Ordinal);
        for (var p = 0; p < Count; p++) map[Nodes[p].Id] = p;
        _indexById = map;
    }

    /// <summary>The topological position of the node <paramref name="id"/>.</summary>
    public bool TryGetIndex(string id, out int index)
    {
        if (_indexById is not null) return _indexById.TryGetValue(id, out index);
        var nodes = Nodes;
        for (var p = 0; p < nodes.Length; p++)
        {
            if (string.Equals(nodes[p].Id, id, StringComparison.Ordinal))
            {
                index = p;
                return true;
            }
        }
        index = -1;
        return false;
    }

    public int Count => Nodes.Length;

    public ReadOnlySpan<PlanEdge> Incoming(int node) => IncomingEdges.AsSpan(IncomingStart[node], IncomingStart[node + 1] - IncomingStart[node]);

    public ReadOnlySpan<int> Dependents(int node) => DependentTargets.AsSpan(DependentStart[node], DependentStart[node + 1] - DependentStart[node]);
}
