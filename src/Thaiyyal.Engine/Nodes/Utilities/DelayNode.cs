namespace Thaiyyal.Engine.Nodes.Utilities;

/// <summary><c>delay</c>: waits, then passes its input on. Other branches keep running meanwhile.</summary>
internal sealed class DelayNode : NodeExecutor<DelayNode.Options>
{
    /// <summary>Bound data.</summary>
    /// <param name="Duration">The wait as written (parsed when the node runs, as the original did).</param>
    public sealed record Options(string Duration);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("delay", NodeCategories.Utilities, "Delay",
        "Waits for a while, then passes its input on.",
        [new NodeField("duration", FieldType.Duration, "Duration", "How long to wait, e.g. 500ms or 2s.", Required: true, Default: "1s")])
    {
        MinInputs = 0,
        EditorDefaults = ValueObject.Of(("duration", "1s")),
    } with { Inference = new(23, ["duration"]) };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new(data.RequiredString("duration"));

    protected override async ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (!Compatibility.GoDuration.TryParse(options.Duration, out var duration))
            throw new NodeExecutionException($"invalid duration format: {Compatibility.GoDuration.FormatError(options.Duration)}");
        await NodeClock.SleepAsync(context, duration).ConfigureAwait(false);
        return ValueObject.Of(("value", context.Input), ("duration", options.Duration), ("delayed", true));
    }
}
