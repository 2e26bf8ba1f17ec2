namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary>
/// Base of the array nodes that share the original's input rules (nodes.md H): no input fails with
/// <c>&lt;type&gt; node needs at least 1 input</c>; a non-array input is not a failure but the
/// result <c>{error: "input is not an array", input, original_type}</c>.
/// </summary>
internal abstract class ArrayNodeExecutor<TOptions> : NodeExecutor<TOptions>
    where TOptions : class
{
    /// <inheritdoc />
    protected override bool IsIndependent(TOptions options) => true;

    /// <inheritdoc />
    protected sealed override ValueTask<Value> ExecuteAsync(NodeContext context, TOptions options)
    {
        if (context.Inputs.Count == 0) throw ArrayResults.NeedsInput(Descriptor.Type);
        var input = context.Input;
        return input.TryGetArray(out var items)
            ? new(Execute(items, options, context))
            : new(ArrayResults.NotAnArray(input));
    }

    /// <summary>Runs the node on its array input.</summary>
    protected abstract Value Execute(ValueArray items, TOptions options, NodeContext context);
}

/// <summary>Result shapes and checks shared by the array nodes.</summary>
internal static class ArrayResults
{
    public static NodeExecutionException NeedsInput(string type) => new($"{type} node needs at least 1 input");

    public static Value NotAnArray(Value input) => ArrayNodeInputs.NotAnArray(input);

    /// <summary>The original's "nil-array": <c>null</c> when nothing was appended, else the array.</summary>
    public static Value NilArray(List<Value> items) => items.Count == 0 ? Value.Null : new ValueArray([.. items]);

    /// <summary>Fails cleanly when a node would build an array longer than <see cref="ExecutionLimits.MaxArrayLength"/>.</summary>
    public static void CheckLength(long count, ExecutionLimits limits, string type)
    {
        if (limits.MaxArrayLength > 0 && count > limits.MaxArrayLength)
            throw new ExecutionLimitException("array_length", $"{type} would produce {count} elements (limit: {limits.MaxArrayLength})");
    }

    /// <summary>A number option truncated toward zero, or <paramref name="fallback"/> when it is not a number.</summary>
    public static long TruncatedOr(Value value, long fallback) =>
        value.TryGetNumber(out var n) ? Compatibility.GoStrconv.Truncate(n) : fallback;
}
