namespace Thaiyyal.Engine.Nodes.InputOutput;

/// <summary><c>visualization</c>: passes its first input through; a display sink that needs an input.</summary>
internal sealed class VisualizationNode : NodeExecutor<VisualizationNode.Options>
{
    /// <summary>Display settings (unused by the engine).</summary>
    public sealed record Options(string? Mode);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("visualization", NodeCategories.InputOutput, "Visualization",
        "Shows its input; passes it through unchanged.",
        [new NodeField("mode", FieldType.String, "Mode", "How the editor shows the value.", Default: "text", Options: ["text", "table"])])
    {
        EditorDefaults = ValueObject.Of(("mode", "text")),
    } with { Inference = new(6, ["mode"]) };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new(data.String("mode"));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) =>
        context.Inputs.Count == 0
            ? throw new NodeExecutionException("visualization needs at least 1 input")
            : new(context.Inputs[0]);
}

/// <summary><c>renderer</c>: passes its first input through, or null without one.</summary>
internal sealed class RendererNode : NodeExecutor<RendererNode.Options>
{
    /// <summary>Display settings (unused by the engine).</summary>
    public sealed record Options(string? Mode);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("renderer", NodeCategories.InputOutput, "Renderer",
        "Shows its input in the format that fits it; passes it through (null without input).",
        [new NodeField("mode", FieldType.String, "Mode", "Display format (detected when empty).")])
    {
        MinInputs = 0,
        EditorDefaults = ValueObject.Empty,
    };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new(data.String("mode"));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) => new(context.Input);
}
