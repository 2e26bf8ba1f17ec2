namespace Thaiyyal.Engine.Nodes.Utilities;

/// <summary>
/// <c>rate_limiter</c>: lets at most <c>max_requests</c> executions of this node start within any
/// <c>per_duration</c> window of a run, sleeping until a slot frees up.
/// </summary>
internal sealed class RateLimiterNode : NodeExecutor<RateLimiterNode.Options>
{
    /// <summary>Bound data.</summary>
    /// <param name="MaxRequests">Executions allowed per window (positive).</param>
    /// <param name="PerDuration">The window as written.</param>
    /// <param name="Strategy">Only <c>fixed_window</c>.</param>
    public sealed record Options(int MaxRequests, string PerDuration, string Strategy);

    public override NodeDescriptor Descriptor { get; } = new("rate_limiter", NodeCategories.Utilities, "Rate Limiter",
        "Lets at most max_requests executions of this node through per window; later ones wait.",
        [
            new NodeField("max_requests", FieldType.Integer, "Max requests", "Executions allowed per window.", Required: true, Default: 10),
            new NodeField("per_duration", FieldType.Duration, "Window", "Length of the window, e.g. 1s or 1m.", Required: true, Default: "1s"),
            new NodeField("strategy", FieldType.String, "Strategy", "How requests are counted.", Default: "fixed_window", Options: ["fixed_window"]),
        ])
    {
        MinInputs = 0,
        EditorDefaults = ValueObject.Of(("max_requests", 10), ("per_duration", "1s"), ("strategy", "fixed_window")),
    };

    // Its only state is its own admission log, so it may run alongside anything.
    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data)
    {
        var max = data.Integer("max_requests") ?? 0;
        if (max <= 0) throw new NodeDataException($"max_requests must be positive, got {max}");
        return new Options((int)Math.Min(max, int.MaxValue), data.RequiredString("per_duration"), data.String("strategy") ?? "fixed_window");
    }

    protected override async ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (!Compatibility.GoDuration.TryParse(options.PerDuration, out var window))
            throw new NodeExecutionException($"invalid per_duration format: {Compatibility.GoDuration.FormatError(options.PerDuration)}");
        if (options.Strategy is not ("fixed_window" or ""))
            throw new NodeExecutionException($"unsupported rate limit strategy: {options.Strategy} (only fixed_window supported)");
        var log = context.State.NodeMemory.GetOrAdd(context.NodeId, static (_, max) => new AdmissionLog(max), options.MaxRequests) as AdmissionLog
            ?? throw new NodeExecutionException($"node memory of {context.NodeId} is not a rate limiter's");
        var now = context.TimeProvider.GetUtcNow();
        var (admitAt, count) = log.Reserve(now, window);
        await NodeClock.SleepAsync(context, admitAt - now).ConfigureAwait(false);
        return ValueObject.Of(
            ("value", context.Input),
            ("rate_limited", true),
            ("requests_count", Value.FromInteger(count)),
            ("max_requests", Value.FromInteger(log.MaxRequests)),
            ("window", options.PerDuration));
    }

    /// <summary>
    /// Admission times of one node in one run, oldest first. Each execution reserves its slot under the lock
    /// before sleeping, so concurrent executions (a loop body running in parallel) queue up correctly.
    /// </summary>
    private sealed class AdmissionLog(int maxRequests)
    {
        private readonly Lock _lock = new();
        private readonly List<DateTimeOffset> _admitted = [];

        /// <summary>Fixed by the first execution, as in the original.</summary>
        public int MaxRequests { get; } = maxRequests;

        /// <summary>When this execution may proceed, and how many executions fall in the window ending then.</summary>
        public (DateTimeOffset AdmitAt, int Count) Reserve(DateTimeOffset now, TimeSpan window)
        {
            if (window <= TimeSpan.Zero) return (now, 1);
            lock (_lock)
            {
                _admitted.RemoveAll(t => t <= now - window);
                var admitAt = _admitted.Count >= MaxRequests ? Later(now, _admitted[^MaxRequests] + window) : now;
                _admitted.Add(admitAt);
                // Only the newest MaxRequests entries can constrain later executions.
                if (_admitted.Count > MaxRequests) _admitted.RemoveRange(0, _admitted.Count - MaxRequests);
                var count = _admitted.Count(t => t > admitAt - window);
                return (admitAt, count);
            }
        }

        private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}
