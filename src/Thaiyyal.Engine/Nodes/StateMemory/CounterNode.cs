namespace Thaiyyal.Engine.Nodes.StateMemory;

/// <summary><c>counter</c>: increments, decrements, resets or reads the run's single counter (starts at 0).</summary>
internal sealed class CounterNode : NodeExecutor<CounterNode.Options>
{
    /// <summary>The operation, the step, and the numeric initial value (set before every operation when given).</summary>
    public sealed record Options(string Operation, double Delta, double? InitialValue);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("counter", NodeCategories.StateMemory, "Counter",
        "Changes or reads one number shared by every counter node of the run.",
        [
            new NodeField("counter_op", FieldType.String, "Operation", "What to do with the counter.", Required: true, Default: "increment",
                Options: ["increment", "decrement", "reset", "get"]),
            new NodeField("delta", FieldType.Number, "Step", "Amount added or subtracted.", Default: 1),
            new NodeField("initial_value", FieldType.Any, "Initial value", "When a number, the counter is set to it before each operation, and reset returns to it."),
        ])
    {
        MinInputs = 0,
        EditorDefaults = ValueObject.Of(("counter_op", "increment"), ("delta", 1)),
    } with { Inference = new(19, ["counter_op"]) };

    protected override Options BindOptions(NodeData data) =>
        new(data.RequiredString("counter_op"), data.Number("delta") ?? 1, data.Number("initial_value"));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        Func<double, double> apply = options.Operation switch
        {
            "increment" => c => c + options.Delta,
            "decrement" => c => c - options.Delta,
            "reset" => _ => options.InitialValue ?? 0,
            "get" => c => c,
            _ => throw new NodeExecutionException($"unsupported counter operation: {options.Operation} (use increment, decrement, reset, or get)"),
        };
        var value = context.State.UpdateCounter(c => apply(options.InitialValue ?? c));
        return new(ValueObject.Of(("operation", options.Operation), ("value", value)));
    }
}
