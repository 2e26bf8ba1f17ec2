namespace Thaiyyal.Engine.Nodes.ParallelJoin;

/// <summary>
/// <c>parallel</c>: collects the results of every branch wired into it, in payload edge order. The branches
/// themselves run at the same time because the scheduler runs independent nodes concurrently.
/// </summary>
internal sealed class ParallelNode : NodeExecutor<ParallelNode.Options>
{
    private const int DefaultMaxConcurrency = 10;

    /// <summary>Bound data.</summary>
    /// <param name="MaxConcurrency">Reported as <c>concurrency</c> (values ≤ 0 mean the default 10; the original hung or crashed).</param>
    /// <param name="Timeout">Accepted and unused, as in the original.</param>
    public sealed record Options(int MaxConcurrency, string? Timeout);

    public override NodeDescriptor Descriptor { get; } = new("parallel", NodeCategories.ParallelJoin, "Parallel",
        "Gathers the results of the branches wired into it; those branches run at the same time.",
        [
            new NodeField("max_concurrency", FieldType.Integer, "Max concurrency", "Reported with the results.", Default: DefaultMaxConcurrency),
            new NodeField("timeout", FieldType.Duration, "Timeout", "Not used."),
        ])
    {
        MaxInputs = null,
        EditorDefaults = ValueObject.Of(("max_concurrency", DefaultMaxConcurrency)),
    };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data)
    {
        var max = data.Integer("max_concurrency") ?? DefaultMaxConcurrency;
        return new Options(max <= 0 ? DefaultMaxConcurrency : (int)Math.Min(max, int.MaxValue), data.String("timeout"));
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("parallel node requires at least one input");
        return new(ValueObject.Of(
            ("results", new ValueArray([.. context.Inputs])),
            ("count", Value.FromInteger(context.Inputs.Count)),
            ("concurrency", Value.FromInteger(options.MaxConcurrency))));
    }
}
