namespace Thaiyyal.Engine.Expressions;

/// <summary>
/// What an expression can see besides its input: workflow variables, loop-scope bindings, results of executed
/// nodes, context values, the run's limits, clock and cancellation. Looked up lazily, one name at a time, so
/// evaluating an expression per array element never copies the workflow's variables.
/// </summary>
public abstract class ExpressionEnvironment
{
    /// <summary>An environment with nothing in it: no variables, no node results, default limits.</summary>
    public static ExpressionEnvironment Empty { get; } = new ValuesEnvironment(null, null, null, null);

    /// <summary>The environment of a running node: its run's state, node results, scope bindings, limits and token.</summary>
    public static ExpressionEnvironment For(NodeContext context) => new NodeEnvironment(context);

    /// <summary>An environment over fixed values (for tests, previews and tools).</summary>
    public static ExpressionEnvironment FromValues(
        IReadOnlyDictionary<string, Value>? variables = null,
        IReadOnlyDictionary<string, Value>? nodeResults = null,
        IReadOnlyDictionary<string, Value>? contextValues = null,
        ExecutionLimits? limits = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default) =>
        new ValuesEnvironment(variables, nodeResults, contextValues, limits, timeProvider, cancellationToken);

    /// <summary>A workflow variable set by a <c>variable</c> node (shared run state).</summary>
    public abstract bool TryGetVariable(string name, out Value value);

    /// <summary>A name bound by an enclosing scope run (<c>item</c>, <c>index</c> of a loop body).</summary>
    public virtual bool TryGetScopeVariable(string name, out Value value)
    {
        value = default;
        return false;
    }

    /// <summary>The result of an executed node, for <c>node.&lt;id&gt;</c>.</summary>
    public abstract bool TryGetNodeResult(string nodeId, out Value value);

    /// <summary>A context variable or constant, for <c>context.&lt;name&gt;</c> (variables shadow constants).</summary>
    public abstract bool TryGetContextValue(string name, out Value value);

    /// <summary>Limits that functions building arrays and strings respect.</summary>
    public virtual ExecutionLimits Limits => ExecutionLimits.Default;

    /// <summary>The clock for <c>now()</c>.</summary>
    public virtual TimeProvider TimeProvider => TimeProvider.System;

    /// <summary>Long evaluations (big arrays) stop when this fires.</summary>
    public virtual CancellationToken CancellationToken => CancellationToken.None;

    private sealed class NodeEnvironment(NodeContext context) : ExpressionEnvironment
    {
        public override bool TryGetVariable(string name, out Value value) => context.State.TryGetVariable(name, out value);

        public override bool TryGetScopeVariable(string name, out Value value)
        {
            if (context.ScopeVariables is { } scope) return scope.TryGetValue(name, out value);
            value = default;
            return false;
        }

        public override bool TryGetNodeResult(string nodeId, out Value value) => context.TryGetNodeResult(nodeId, out value);

        public override bool TryGetContextValue(string name, out Value value) => context.State.TryGetContextValue(name, out value);

        public override ExecutionLimits Limits => context.Limits;

        public override TimeProvider TimeProvider => context.TimeProvider;

        public override CancellationToken CancellationToken => context.CancellationToken;
    }

    private sealed class ValuesEnvironment(
        IReadOnlyDictionary<string, Value>? variables,
        IReadOnlyDictionary<string, Value>? nodeResults,
        IReadOnlyDictionary<string, Value>? contextValues,
        ExecutionLimits? limits,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default) : ExpressionEnvironment
    {
        public override bool TryGetVariable(string name, out Value value) => TryGet(variables, name, out value);

        public override bool TryGetNodeResult(string nodeId, out Value value) => TryGet(nodeResults, nodeId, out value);

        public override bool TryGetContextValue(string name, out Value value) => TryGet(contextValues, name, out value);

        public override ExecutionLimits Limits => limits ?? ExecutionLimits.Default;

        public override TimeProvider TimeProvider => timeProvider ?? TimeProvider.System;

        public override CancellationToken CancellationToken => cancellationToken;

        private static bool TryGet(IReadOnlyDictionary<string, Value>? map, string key, out Value value)
        {
            if (map is not null) return map.TryGetValue(key, out value);
            value = default;
            return false;
        }
    }
}
