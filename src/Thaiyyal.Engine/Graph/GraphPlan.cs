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
/// One level of a workflow graph (the top level, or one scope's body) in topological order, with
/// index-based adjacency so a run allocates arrays once rather than per node.
/// </summary>
internal sealed class GraphPlan
{
    public required PlanNode[] Nodes { get; init; }

    /// <summary>Per node: incoming edges in payload order (the order inputs are collected in).</summary>
    public required PlanEdge[][] Incoming { get; init; }

    /// <summary>Per node: the targets of its outgoing edges, one entry per edge.</summary>
    public required int[][] Dependents { get; init; }

    /// <summary>Indices of nodes that must run in topological order relative to each other.</summary>
    public required int[] OrderedNodes { get; init; }

    /// <summary>Nodes that are the source of no edge, in topological order (final output, body exits).</summary>
    public required int[] Terminals { get; init; }

    public required Dictionary<string, int> IndexById { get; init; }

    public int Count => Nodes.Length;
}
