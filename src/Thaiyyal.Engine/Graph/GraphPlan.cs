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
    // The plan's integer arrays, one after another in one array (one allocation instead of five): IncomingStart and
    // DependentStart (Count + 1 each), then DependentTargets, OrderedNodes and Terminals.
    private readonly int[] _ints;
    private readonly int _dependentTargets;
    private readonly int _orderedNodes;
    private readonly int _terminals;

    /// <summary>A plan over <paramref name="ints"/>, laid out as the counts say (see the fields).</summary>
    public GraphPlan(PlanNode[] nodes, PlanEdge[] incomingEdges, int[] ints, int orderedCount, int terminalCount)
    {
        Nodes = nodes;
        IncomingEdges = incomingEdges;
        _ints = ints;
        _dependentTargets = 2 * (nodes.Length + 1);
        _orderedNodes = _dependentTargets + incomingEdges.Length;
        _terminals = _orderedNodes + orderedCount;
        if (_terminals + terminalCount != ints.Length) throw new ArgumentException("the plan's integers do not fit its counts", nameof(ints));
    }

    /// <summary>The length of the integer array a plan of these counts takes.</summary>
    public static int IntsLength(int nodeCount, int edgeCount, int orderedCount, int terminalCount) =>
        2 * (nodeCount + 1) + edgeCount + orderedCount + terminalCount;

    public PlanNode[] Nodes { get; }

    /// <summary>Incoming edges of every node, grouped by target; within a group in payload order (the order inputs are collected in).</summary>
    public PlanEdge[] IncomingEdges { get; }

    /// <summary>Node <c>i</c>'s incoming edges are <c>IncomingEdges[IncomingStart[i]..IncomingStart[i + 1]]</c>.</summary>
    public ReadOnlySpan<int> IncomingStart => _ints.AsSpan(0, Nodes.Length + 1);

    /// <summary>Targets of every node's outgoing edges, grouped by source, one entry per edge.</summary>
    public ReadOnlySpan<int> DependentTargets => _ints.AsSpan(_dependentTargets, IncomingEdges.Length);

    public ReadOnlySpan<int> DependentStart => _ints.AsSpan(Nodes.Length + 1, Nodes.Length + 1);

    /// <summary>Indices of nodes that must run in topological order relative to each other.</summary>
    public ReadOnlySpan<int> OrderedNodes => _ints.AsSpan(_orderedNodes, _terminals - _orderedNodes);

    /// <summary>Nodes that are the source of no edge, in topological order (final output, body exits).</summary>
    public ReadOnlySpan<int> Terminals => _ints.AsSpan(_terminals);

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

    public ReadOnlySpan<PlanEdge> Incoming(int node) => IncomingEdges.AsSpan(_ints[node], _ints[node + 1] - _ints[node]);

    public ReadOnlySpan<int> Dependents(int node)
    {
        var start = Nodes.Length + 1 + node;
        return _ints.AsSpan(_dependentTargets + _ints[start], _ints[start + 1] - _ints[start]);
    }
}
