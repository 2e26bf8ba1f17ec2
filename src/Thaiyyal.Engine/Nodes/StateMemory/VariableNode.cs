namespace Thaiyyal.Engine.Nodes.StateMemory;

/// <summary><c>variable</c>: stores its input under a name (<c>set</c>) or outputs a stored value (<c>get</c>).</summary>
internal sealed class VariableNode : NodeExecutor<VariableNode.Options>
{
    /// <summary>The variable's name and the operation.</summary>
    public sealed record Options(string Name, string Operation);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("variable", NodeCategories.StateMemory, "Variable",
        "Stores the input as a workflow variable, or reads one back; expressions see it as variables.<name>.",
        [
            new NodeField("var_name", FieldType.String, "Name", "The variable's name.", Required: true, Default: ""),
            new NodeField("var_op", FieldType.String, "Operation", "set stores the input; get outputs the stored value.", Required: true, Default: "get", Options: ["get", "set"]),
            new NodeField("scope", FieldType.String, "Scope", "Accepted for compatibility; variables always live for the whole run."),
        ])
    {
        MinInputs = 0,
        EditorDefaults = ValueObject.Of(("var_name", ""), ("var_op", "get")),
    } with { Inference = new(14, ["var_name"]) { AlsoRequired = ["var_op"] } };

    protected override Options BindOptions(NodeData data) => new(data.RequiredString("var_name"), data.RequiredString("var_op"));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var state = context.State;
        switch (options.Operation)
        {
            case "set":
                if (context.Inputs.Count == 0) throw new NodeExecutionException("variable set operation requires input value");
                var value = context.Input;
                var invalid = ValueLimits.Check(value, context.Limits);
                if (invalid is not null) throw new NodeExecutionException($"variable validation failed: {invalid}");
                var max = context.Limits.MaxVariables;
                if (!state.TrySetVariable(options.Name, value, max, out var count))
                    throw new ExecutionLimitException("variables", $"maximum variables exceeded: {count} (limit: {max})");
                return new(Result(options, value));
            case "get":
                return state.TryGetVariable(options.Name, out var stored)
                    ? new(Result(options, stored))
                    : throw new NodeExecutionException($"variable '{options.Name}' not found");
            default:
                throw new NodeExecutionException($"unsupported variable operation: {options.Operation} (use 'get' or 'set')");
        }
    }

    private static Value Result(Options options, Value value) =>
        ValueObject.Of(("var_name", options.Name), ("operation", options.Operation), ("value", value));
}
