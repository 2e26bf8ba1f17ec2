namespace Thaiyyal.Engine.Nodes.Operations;

/// <summary><c>operation</c>: add, subtract, multiply or divide the first two inputs (in payload edge order).</summary>
internal sealed class OperationNode : NodeExecutor<OperationNode.Options>
{
    /// <summary>The arithmetic operator.</summary>
    public sealed record Options(string Op);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("operation", NodeCategories.Operations, "Math Operation",
        "Adds, subtracts, multiplies or divides its first two inputs.",
        [new NodeField("op", FieldType.String, "Operation", "The operator; the first input is the left operand.", Required: true, Default: "add",
            Options: ["add", "subtract", "multiply", "divide"])])
    {
        MinInputs = 2,
        MaxInputs = 2,
        EditorDefaults = ValueObject.Of(("op", "add")),
    } with { Inference = new(7, ["op"]) };

    protected override bool IsIndependent(Options options) => true;

    // The four operators' options, shared by every node that names one (options are immutable).
    private static readonly Options[] Known = [new("add"), new("subtract"), new("multiply"), new("divide")];

    protected override Options BindOptions(NodeData data)
    {
        var op = data.RequiredString("op");
        foreach (var known in Known)
        {
            if (string.Equals(known.Op, op, StringComparison.Ordinal)) return known;
        }
        return new(op);
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var inputs = context.Inputs;
        if (inputs.Count < 2) throw new NodeExecutionException($"operation needs 2 inputs, got {inputs.Count}");
        if (!inputs[0].TryGetNumber(out var left) || !inputs[1].TryGetNumber(out var right))
            throw new NodeExecutionException("operation inputs must be numbers");
        var result = options.Op switch
        {
            "add" => left + right,
            "subtract" => left - right,
            "multiply" => left * right,
            "divide" => right == 0 ? throw new NodeExecutionException("division by zero") : left / right,
            _ => throw new NodeExecutionException($"unknown operation: {options.Op}"),
        };
        if (!double.IsFinite(result)) throw new NodeExecutionException($"operation result is not a finite number: {Compatibility.GoFloatText.ToGo(result)}");
        return new(Value.From(result));
    }
}
