namespace Thaiyyal.Engine.Nodes.ParallelJoin;

/// <summary><c>join</c>: combines its inputs: all of them, or the first one.</summary>
internal sealed class JoinNode : NodeExecutor<JoinNode.Options>
{
    /// <summary>The strategy: all, any or first.</summary>
    public sealed record Options(string Strategy);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("join", NodeCategories.ParallelJoin, "Join",
        "Collects every input into a list (all), or passes on the first input (any, first).",
        [
            new NodeField("join_strategy", FieldType.String, "Strategy", "all lists every input; any and first take the first input.", Default: "all",
                Options: ["all", "any", "first"]),
            new NodeField("timeout", FieldType.Duration, "Timeout", "Accepted for compatibility; unused."),
        ])
    {
        MaxInputs = null,
        EditorDefaults = ValueObject.Of(("join_strategy", "all")),
    } with { Inference = new(21, ["join_strategy"]) };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data)
    {
        var strategy = data.String("join_strategy");
        return new(string.IsNullOrEmpty(strategy) ? "all" : strategy);
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var inputs = context.Inputs;
        switch (options.Strategy)
        {
            case "all":
                if (inputs.Count == 0) throw new NodeExecutionException("join node with 'all' strategy requires at least one input");
                return new(ValueObject.Of(("strategy", "all"), ("values", new ValueArray(inputs)), ("count", Value.FromInteger(inputs.Count))));
            case "any":
                if (inputs.Count == 0) throw new NodeExecutionException("join node with 'any' strategy has no inputs");
                return new(ValueObject.Of(("strategy", "any"), ("value", inputs[0]), ("count", Value.FromInteger(inputs.Count))));
            case "first":
                if (inputs.Count == 0) throw new NodeExecutionException("join node with 'first' strategy has no inputs");
                return new(ValueObject.Of(("strategy", "first"), ("value", inputs[0])));
            default:
                throw new NodeExecutionException($"unsupported join strategy: {options.Strategy} (use all, any, or first)");
        }
    }
}
