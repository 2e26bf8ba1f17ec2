using Thaiyyal.Engine.Graph;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Execution;

/// <summary>What a node sees while it runs: its inputs and options, the run's state, limits and cancellation.</summary>
/// <remarks>
/// Valid only until the node's <c>ExecuteAsync</c> completes: the engine hands the context of a node that finished
/// synchronously to the next node of the same graph run, so a node must not keep it (copy what it needs instead).
/// </remarks>
public sealed class NodeContext
{
    private readonly GraphRun _graph;
    private PlanNode _node;

    internal NodeContext(GraphRun graph, PlanNode node, Value[] inputs)
    {
        _graph = graph;
        _node = node;
        Inputs = inputs;
    }

    /// <summary>Points a context whose node finished synchronously at the next node of the same graph run.</summary>
    internal void Reuse(PlanNode node, Value[] inputs)
    {
        _node = node;
        Inputs = inputs;
    }

    public string NodeId => _node.Id;

    public string NodeType => _node.Type;

    /// <summary>The options the node's executor bound from its data (null when the node had no data).</summary>
    public object? Options => _node.Options;

    /// <summary>Results of the executed upstream nodes, in payload edge order (workflow-format.md §7).</summary>
    public IReadOnlyList<Value> Inputs { get; private set; }

    /// <summary>The first input, or null when there is none.</summary>
    public Value Input => Inputs.Count > 0 ? Inputs[0] : default;

    /// <summary>Fires on the run's deadline, the caller's cancellation, or an enclosing timeout scope.</summary>
    public CancellationToken CancellationToken => _graph.Token;

    public string ExecutionId => _graph.Run.ExecutionId;

    public string? WorkflowId => _graph.Run.WorkflowId;

    public ExecutionLimits Limits => _graph.Run.Limits;

    /// <summary>Variables, accumulator, counter, cache and context values of this run.</summary>
    internal WorkflowState State => _graph.Run.State;

    /// <summary>Host services (HTTP client factory, named clients…), when the host supplied them.</summary>
    public IServiceProvider? Services => _graph.Run.Services;

    public TimeProvider TimeProvider => _graph.Run.TimeProvider;

    /// <summary>The run's source of randomness (seeded by workflow tests, <see cref="System.Random.Shared"/> otherwise).</summary>
    public Random Random => _graph.Run.Random;

    /// <summary>The host's outbound HTTP (policy, named clients); only the <c>http</c> node uses it.</summary>
    internal OutboundHttp Http => _graph.Run.Http;

    /// <summary>Variables bound by the enclosing scope runs (<c>item</c>, <c>index</c>), innermost first; null at the top level.</summary>
    public IReadOnlyDictionary<string, Value>? ScopeVariables => _graph.ScopeVariables;

    /// <summary>The scope node whose body this node is running in, or null at the top level.</summary>
    public string? ScopeNodeId => _graph.ScopeNodeId;

    /// <summary>The result of an executed node, for <c>node.&lt;id&gt;</c>: this body's nodes first, then enclosing levels.</summary>
    public bool TryGetNodeResult(string nodeId, out Value result) => _graph.TryGetResult(nodeId, out result);

    /// <summary>Counts loop iterations against <see cref="ExecutionLimits.MaxLoopIterations"/>; throws when over.</summary>
    public void CountLoopIterations(int iterations = 1) => _graph.Run.CountLoopIterations(iterations);

    /// <summary>Counts one HTTP request against <see cref="ExecutionLimits.MaxHttpCalls"/>; throws when over.</summary>
    public void CountHttpCall() => _graph.Run.CountHttpCall();

    /// <summary>How many nodes of this run may execute at once; concurrent scope policies stay within it.</summary>
    internal int MaxDegreeOfParallelism => Math.Max(1, _graph.MaxDegreeOfParallelism);

    /// <summary>True when this node is a scope with body nodes (design/scopes.md).</summary>
    public bool HasBody => _node.Body is not null;

    /// <summary>
    /// Runs this scope node's body once: entry nodes receive <paramref name="input"/>; <paramref name="variables"/>
    /// (e.g. <c>item</c>, <c>index</c>) are visible to expressions inside. Returns the single exit node's result,
    /// or an object keyed by exit node id. A failing body node throws <see cref="NodeFailedException"/>.
    /// </summary>
    /// <param name="input">What the body's entry nodes receive.</param>
    /// <param name="variables">Names bound for the body's expressions.</param>
    /// <param name="iteration">Which body run this is (0-based), stamped on the body's events; null for a scope that runs its body once.</param>
    /// <param name="cancellationToken">Stops the body early, in addition to the run's own token.</param>
    public async Task<Value> RunBodyAsync(Value input, IReadOnlyDictionary<string, Value>? variables = null, int? iteration = null, CancellationToken cancellationToken = default)
    {
        var body = _node.Body ?? throw new InvalidOperationException($"node {NodeId} has no body");
        var merged = MergeVariables(variables);
        if (cancellationToken.CanBeCanceled && cancellationToken != CancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken, cancellationToken);
            return await new GraphRun(_graph.Run, body, _graph, NodeId, iteration, input, merged, linked.Token).RunBodyAsync().ConfigureAwait(false);
        }
        return await new GraphRun(_graph.Run, body, _graph, NodeId, iteration, input, merged, CancellationToken).RunBodyAsync().ConfigureAwait(false);
    }

    private IReadOnlyDictionary<string, Value>? MergeVariables(IReadOnlyDictionary<string, Value>? inner)
    {
        var outer = _graph.ScopeVariables;
        if (outer is null || outer.Count == 0) return inner;
        if (inner is null || inner.Count == 0) return outer;
        var merged = new Dictionary<string, Value>(outer, StringComparer.Ordinal);
        foreach (var (k, v) in inner) merged[k] = v;
        return merged;
    }
}
