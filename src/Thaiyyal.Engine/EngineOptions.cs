using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Engine;

/// <summary>How a <see cref="WorkflowEngine"/> decodes and runs workflows.</summary>
public sealed record EngineOptions
{
    /// <summary>Node types the engine knows; defaults to every built-in type.</summary>
    public NodeRegistry? Registry { get; init; }

    /// <summary>Limits applied to every run unless a run overrides them.</summary>
    public ExecutionLimits Limits { get; init; } = ExecutionLimits.Default;

    /// <summary>How many independent nodes of one run may execute at the same time (1 = strictly sequential).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Host services nodes may use (the HTTP node's client factory, named clients).</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>
    /// Outbound HTTP for <c>http</c> nodes: SSRF policy, limits, named clients. When null, an
    /// <see cref="OutboundHttp"/> from <see cref="Services"/> is used, else <see cref="OutboundHttp.Default"/>.
    /// </summary>
    public OutboundHttp? Http { get; init; }

    /// <summary>Clock for timestamps, deadlines and sleeping nodes; tests substitute their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>Per-run settings.</summary>
public sealed record RunOptions
{
    /// <summary>Overrides the engine's limits for this run.</summary>
    public ExecutionLimits? Limits { get; init; }

    /// <summary>Receives this run's events.</summary>
    public ExecutionObserver? Observer { get; init; }

    /// <summary>Use this execution id instead of a random one.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>
    /// Results by node id that stand in for running those nodes (workflow tests pin outside calls this way).
    /// A pinned node is not executed anywhere in the run, scope bodies included; its pinned value is its result.
    /// </summary>
    public IReadOnlyDictionary<string, Workflows.Value>? PinnedResults { get; init; }

    /// <summary>
    /// Results by node id and iteration for nodes inside loop bodies: the run of the node in iteration <c>i</c> of its
    /// innermost loop does not execute and has element <c>i</c> as its result (a test replaying a run pins a body's
    /// <c>http</c> node this way). A run of the node with no element for its iteration, or outside an iteration,
    /// fails naming the node.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Workflows.Value>>? PinnedIterationResults { get; init; }

    /// <summary>
    /// The source of randomness for nodes that choose at random (<c>sample</c>); null uses <see cref="System.Random.Shared"/>.
    /// A seeded <see cref="System.Random"/> is not thread-safe: give one only to a run with a parallelism of 1.
    /// </summary>
    public Random? Random { get; init; }
}
