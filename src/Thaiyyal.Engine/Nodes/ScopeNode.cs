namespace Thaiyyal.Engine.Nodes;

/// <summary>
/// Base of a scope node type (design/scopes.md). Without body nodes the node keeps the original engine's
/// behaviour of inspecting its input; with body nodes it runs its policy through a <see cref="ScopeBody"/>.
/// A new scoped node type derives from this and needs no scheduler change.
/// </summary>
/// <typeparam name="TOptions">The node's bound <c>data</c>.</typeparam>
internal abstract class ScopeNode<TOptions> : NodeExecutor<TOptions>
    where TOptions : class
{
    /// <inheritdoc />
    protected sealed override ValueTask<Value> ExecuteAsync(NodeContext context, TOptions options) =>
        context.HasBody
            ? new ValueTask<Value>(RunBodyPolicyAsync(new ScopeBody(context), options))
            : ExecuteWithoutBodyAsync(context, options);

    /// <summary>The original behaviour: the node only looks at its input (spec/nodes.md).</summary>
    protected abstract ValueTask<Value> ExecuteWithoutBodyAsync(NodeContext context, TOptions options);

    /// <summary>The scope policy: how often the body runs, with what input, and what a failure means.</summary>
    protected abstract Task<Value> RunBodyPolicyAsync(ScopeBody body, TOptions options);
}
