using Thaiyyal.Engine.Nodes.ArrayOperations;

namespace Thaiyyal.Engine.Nodes.StateMemory;

/// <summary>
/// <c>accumulator</c>: folds its input into the run's single accumulator (sum, product, concat, array, count).
/// Every accumulator node of a run shares it, so a later node continues from an earlier one's value.
/// </summary>
internal sealed class AccumulatorNode : NodeExecutor<AccumulatorNode.Options>
{
    /// <summary>The operation and the value the accumulator starts from when it is still unset.</summary>
    public sealed record Options(string Operation, Value InitialValue);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("accumulator", NodeCategories.StateMemory, "Accumulator",
        "Adds, multiplies, concatenates, collects or counts inputs into one value shared by the whole run.",
        [
            new NodeField("accum_op", FieldType.String, "Operation", "How the input joins the accumulated value.", Required: true, Default: "sum",
                Options: ["sum", "product", "concat", "array", "count"]),
            new NodeField("initial_value", FieldType.Any, "Initial value", "Starting value when no accumulator node has run yet (defaults: 0, 1, \"\", [] or 0)."),
        ])
    {
        MinInputs = 0,
        EditorDefaults = ValueObject.Of(("accum_op", "sum")),
    } with { Inference = new(18, ["accum_op"]) };

    protected override Options BindOptions(NodeData data) => new(data.RequiredString("accum_op"), data.Get("initial_value"));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var hasInput = context.Inputs.Count > 0;
        var input = context.Input;
        var limits = context.Limits;
        var value = context.State.UpdateAccumulator((current, _) =>
        {
            // The original tests for nil, so a null accumulator is initialised again.
            if (current.IsNull) current = options.InitialValue.IsNull ? DefaultFor(options.Operation) : options.InitialValue;
            return hasInput ? Combine(options.Operation, current, input, limits) : current;
        });
        return new(ValueObject.Of(("operation", options.Operation), ("value", value)));
    }

    private static Value DefaultFor(string operation) => operation switch
    {
        "sum" or "count" => 0,
        "product" => 1,
        "concat" => "",
        "array" => ValueArray.Empty,
        _ => Value.Null,
    };

    private static Value Combine(string operation, Value current, Value input, ExecutionLimits limits)
    {
        switch (operation)
        {
            case "sum":
            case "product":
                {
                    if (!current.TryGetNumber(out var acc)) throw new NodeExecutionException("accumulator value is not a number");
                    if (!input.TryGetNumber(out var x)) throw new NodeExecutionException($"{operation} accumulator requires numeric input, got {input.GoTypeName}");
                    return operation == "sum" ? acc + x : acc * x;
                }
            case "concat":
                {
                    if (!current.TryGetString(out var acc)) throw new NodeExecutionException("accumulator value is not a string");
                    if (!input.TryGetString(out var s)) throw new NodeExecutionException($"concat accumulator requires string input, got {input.GoTypeName}");
                    var length = (long)acc.Length + s.Length;
                    if (limits.MaxStringLength > 0 && length > limits.MaxStringLength)
                        throw new ExecutionLimitException("string_length", $"string too long: {length} characters (limit: {limits.MaxStringLength})");
                    return acc + s;
                }
            case "array":
                {
                    if (!current.TryGetArray(out var acc)) throw new NodeExecutionException("accumulator value is not an array");
                    ArrayResults.CheckLength(acc.Count + 1L, limits, "accumulator");
                    var items = new Value[acc.Count + 1];
                    acc.AsSpan().CopyTo(items);
                    items[^1] = input;
                    return new ValueArray(items);
                }
            case "count":
                return current.TryGetNumber(out var count) ? count + 1 : throw new NodeExecutionException("accumulator value is not a number");
            default:
                throw new NodeExecutionException($"unsupported accumulator operation: {operation}");
        }
    }
}
