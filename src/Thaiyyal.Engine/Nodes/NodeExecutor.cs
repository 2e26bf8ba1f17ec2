namespace Thaiyyal.Engine.Nodes;

/// <summary>
/// One node type: its descriptor (for the decoder and the editor), how its <c>data</c> binds to options,
/// and how it runs. Register instances in a <see cref="NodeRegistry"/>; one instance serves every run
/// concurrently, so executors keep no per-run state in fields.
/// </summary>
public abstract class NodeExecutor
{
    /// <summary>Type string, category, label, fields and handles.</summary>
    public abstract NodeDescriptor Descriptor { get; }

    /// <summary>
    /// True when the node's result depends only on its inputs and options. Such nodes may run at the same
    /// time as others; every other node runs in topological order relative to the other such nodes, so
    /// shared state (variables, counters, caches, <c>node.&lt;id&gt;</c> look-ups) sees the same order as a
    /// sequential run. Defaults to false, the safe answer for custom nodes.
    /// </summary>
    public virtual bool IsIndependent(object? options) => false;

    /// <summary>
    /// Turns checked <c>data</c> into the options object the node runs with. Throw
    /// <see cref="NodeDataException"/> to reject the payload. Called once per decode, never per run.
    /// </summary>
    public abstract object? Bind(NodeData data);

    /// <summary>Runs the node. Throw <see cref="NodeExecutionException"/> to fail the run with a message.</summary>
    public abstract ValueTask<Value> ExecuteAsync(NodeContext context);
}

/// <summary>A node executor with a typed options record.</summary>
/// <typeparam name="TOptions">The node's bound <c>data</c>.</typeparam>
public abstract class NodeExecutor<TOptions> : NodeExecutor
    where TOptions : class
{
    /// <inheritdoc />
    public sealed override object? Bind(NodeData data) => BindOptions(data);

    /// <inheritdoc />
    public sealed override bool IsIndependent(object? options) => options is TOptions typed && IsIndependent(typed);

    /// <inheritdoc />
    public sealed override ValueTask<Value> ExecuteAsync(NodeContext context) =>
        context.Options is TOptions options
            ? ExecuteAsync(context, options)
            : throw new NodeExecutionException($"expected {Descriptor.DataTypeName}, got <nil>");

    /// <summary>Whether a node with these options may run concurrently with others (see <see cref="NodeExecutor.IsIndependent(object?)"/>).</summary>
    protected virtual bool IsIndependent(TOptions options) => false;

    /// <summary>Builds the options from checked data.</summary>
    protected abstract TOptions BindOptions(NodeData data);

    /// <summary>Runs the node with its options.</summary>
    protected abstract ValueTask<Value> ExecuteAsync(NodeContext context, TOptions options);
}
