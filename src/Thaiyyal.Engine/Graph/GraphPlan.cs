using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Engine.Graph;

/// <summary>One node, bound and ready to run: its payload node, its executor and the options it bound.</summary>
internal sealed class PlanNode(NodeDefinition definition, NodeExecutor executor, object? options)
{
    public string Id => definition.Id;
    public string Type => definition.Type;
    public NodeExecutor Executor { get; } = executor;
    public object? Options { get; } = options;

    /// <summary>Whether the node may run concurrently with others (the plan keeps this per node; see <see cref="GraphPlan.IsIndependent"/>).</summary>
    public bool BindsIndependent => Options is not null && Executor.IsIndependent(Options);

    /// <summary>The body of a scope node (design/scopes.md); <c>null</c> when it has no body nodes.</summary>
    public GraphPlan? Body { get; set; }
}

/// <summary>
/// One level of a workflow graph (the top level, or one scope's body) in topological order. Adjacency is
/// stored as flat arrays with offsets (compressed rows), so a plan costs a handful of allocations however
/// many nodes it has, and a run allocates arrays once rather than per node.
/// </summary>
internal sealed class GraphPlan
{
    // The plan's integers, one after another in one array (one allocation instead of several): IncomingStart and
    // DependentStart (Count + 1 each), DependentTargets and the incoming edges' sources (one per edge each), a flag per
    // node (1: independent), then OrderedNodes and Terminals. Where each part starts is kept: the scheduler looks
    // several up per node it runs.
    private readonly int[] _ints;
    private readonly int _dependentStart;
    private readonly int _dependentTargets;
    private readonly int _incomingSources;
    private readonly int _independent;
    private readonly int _orderedNodes;
    private readonly int _terminals;

    /// <summary>The incoming edges' source handles, in the order of their sources; null when no edge has one (the common case).</summary>
    private readonly string?[]? _incomingHandles;

    /// <summary>A plan over <paramref name="ints"/>, laid out as the counts say (see the fields).</summary>
    public GraphPlan(PlanNode[] nodes, int[] ints, string?[]? incomingHandles, int edgeCount, int orderedCount)
    {
        Nodes = nodes;
        _ints = ints;
        _incomingHandles = incomingHandles;
        _dependentStart = Layout.DependentStart(nodes.Length);
        _dependentTargets = Layout.DependentTargets(nodes.Length);
        _incomingSources = Layout.IncomingSources(nodes.Length, edgeCount);
        _independent = Layout.Independent(nodes.Length, edgeCount);
        _orderedNodes = Layout.OrderedNodes(nodes.Length, edgeCount);
        _terminals = Layout.Terminals(nodes.Length, edgeCount, orderedCount);
        if (ints.Length < _terminals) throw new ArgumentException("the plan's integers do not fit its counts", nameof(ints));
    }

    /// <summary>Where each part of a plan's integers starts.</summary>
    public static class Layout
    {
        public static int DependentStart(int nodes) => nodes + 1;

        public static int DependentTargets(int nodes) => 2 * (nodes + 1);

        public static int IncomingSources(int nodes, int edges) => DependentTargets(nodes) + edges;

        public static int Independent(int nodes, int edges) => IncomingSources(nodes, edges) + edges;

        public static int OrderedNodes(int nodes, int edges) => Independent(nodes, edges) + nodes;

        public static int Terminals(int nodes, int edges, int ordered) => OrderedNodes(nodes, edges) + ordered;

        public static int Length(int nodes, int edges, int ordered, int terminals) => Terminals(nodes, edges, ordered) + terminals;
    }

    public PlanNode[] Nodes { get; }

    /// <summary>Node <c>i</c>'s incoming edges are the edges <c>IncomingStart[i]..IncomingStart[i + 1]</c>, grouped by target.</summary>
    public ReadOnlySpan<int> IncomingStart => _ints.AsSpan(0, Nodes.Length + 1);

    /// <summary>Indices of nodes that must run in topological order relative to each other.</summary>
    public ReadOnlySpan<int> OrderedNodes => _ints.AsSpan(_orderedNodes, _terminals - _orderedNodes);

    /// <summary>Nodes that are the source of no edge, in topological order (final output, body exits).</summary>
    public ReadOnlySpan<int> Terminals => _ints.AsSpan(_terminals);

    /// <summary>Whether node <paramref name="node"/> may run concurrently with others (<see cref="NodeExecutor.IsIndependent(object?)"/>).</summary>
    public bool IsIndependent(int node) => _ints[_independent + node] != 0;

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

    /// <summary>The sources of node <paramref name="node"/>'s incoming edges, in payload order (the order inputs are collected in).</summary>
    public ReadOnlySpan<int> IncomingSources(int node) =>
        _ints.AsSpan(_incomingSources + _ints[node], _ints[node + 1] - _ints[node]);

    /// <summary>The source handle of incoming edge <paramref name="k"/> of node <paramref name="node"/>; any handle makes the edge conditional (§8).</summary>
    public string? IncomingHandle(int node, int k) => _incomingHandles?[_ints[node] + k];

    public ReadOnlySpan<int> Dependents(int node)
    {
        var start = _dependentStart + node;
        return _ints.AsSpan(_dependentTargets + _ints[start], _ints[start + 1] - _ints[start]);
    }
}
