using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>reduce</c>: folds an array into one value with an expression over <c>accumulator</c> and <c>item</c>.</summary>
internal sealed class ReduceNode : NodeExecutor<ReduceNode.Options>
{
    /// <summary>The expression (null when empty) and the configured initial value (null when absent).</summary>
    public sealed record Options(ParsedExpression? Expression, Value InitialValue);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("reduce", NodeCategories.ArrayOperations, "Reduce",
        "Combines the elements of an array into one value, e.g. accumulator + item.",
        [
            new NodeField("expression", FieldType.Expression, "Expression", "Evaluated per element with accumulator, item, index and items bound.",
                Required: true, Default: "accumulator + item"),
            new NodeField("initial_value", FieldType.Any, "Initial value", "The accumulator before the first element (0 when absent).", Default: 0.0),
        ])
    {
        EditorDefaults = ValueObject.Of(("expression", "accumulator + item"), ("initial_value", 0.0)),
    } with { Inference = new(12, ["expression"]) { AlsoRequired = ["initial_value"] } };

    protected override bool IsIndependent(Options options) => options.Expression is not { ReadsSharedState: true };

    protected override Options BindOptions(NodeData data)
    {
        var text = data.RequiredString("expression");
        return new(data.OptionalExpression(text), data.Get("initial_value"));
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("reduce node needs at least 1 input");
        var input = context.Input;
        if (!input.TryGetArray(out var array)) throw new NodeExecutionException($"reduce node requires array input, got {input.GoTypeName}");
        var expression = options.Expression ?? throw new NodeExecutionException("reduce node requires an expression");
        var accumulator = options.InitialValue.IsNull ? Value.From(0.0) : options.InitialValue;
        var environment = ExpressionEnvironment.For(context);
        var successful = 0;
        var loop = new ElementLoop(expression, environment, items: input, accumulator: accumulator);
        for (var i = 0; i < array.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            // A failing step keeps the accumulator and counts as failed.
            if (loop.TryValue(array[i], Value.From((double)i), accumulator, out var next, out _))
            {
                accumulator = next;
                successful++;
            }
        }
        var count = Value.FromInteger(array.Count);
        return new(ValueObject.Of(
            ("result", accumulator),
            ("final_value", accumulator),
            ("initial_value", options.InitialValue),
            ("input_count", count),
            ("iterations", count),
            ("successful", Value.FromInteger(successful)),
            ("failed", Value.FromInteger(array.Count - successful))));
    }
}
