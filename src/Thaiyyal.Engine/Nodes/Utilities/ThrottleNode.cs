using System.Globalization;

namespace Thaiyyal.Engine.Nodes.Utilities;

/// <summary><c>throttle</c>: spaces the executions of this node at least 1/<c>requests_per_second</c> apart within a run.</summary>
internal sealed class ThrottleNode : NodeExecutor<ThrottleNode.Options>
{
    /// <summary>Longest spacing; keeps absurdly small rates from overflowing a TimeSpan (the run's deadline ends the wait).</summary>
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(365);

    /// <summary>Bound data.</summary>
    /// <param name="RequestsPerSecond">Executions per second (checked when the node runs, as the original did).</param>
    public sealed record Options(double RequestsPerSecond);

    public override NodeDescriptor Descriptor { get; } = new("throttle", NodeCategories.Utilities, "Throttle",
        "Spaces the executions of this node evenly: at most requests_per_second per second.",
        [new NodeField("requests_per_second", FieldType.Number, "Requests per second", "Executions allowed per second.", Required: true, Default: 1)])
    {
        MinInputs = 0,
        EditorDefaults = ValueObject.Of(("requests_per_second", 1)),
    };

    // Its only state is its own last execution time, so it may run alongside anything.
    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new(data.RequiredNumber("requests_per_second"));

    protected override async ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var rps = options.RequestsPerSecond;
        if (!(rps > 0))
            throw new NodeExecutionException($"requests_per_second must be positive, got {rps.ToString("F6", CultureInfo.InvariantCulture)}");
        var seconds = 1 / rps;
        var interval = seconds >= MaxInterval.TotalSeconds ? MaxInterval : TimeSpan.FromSeconds(seconds);
        var spacing = context.State.NodeMemory.GetOrAdd(context.NodeId, static _ => new Spacing()) as Spacing
            ?? throw new NodeExecutionException($"node memory of {context.NodeId} is not a throttle's");
        var now = context.TimeProvider.GetUtcNow();
        var wait = spacing.Reserve(now, interval) - now;
        await NodeClock.SleepAsync(context, wait).ConfigureAwait(false);
        return ValueObject.Of(
            ("value", context.Input),
            ("throttled", true),
            ("requests_per_second", rps),
            ("delay_ms", Value.FromInteger((long)wait.TotalMilliseconds)));
    }

    /// <summary>The start time of this node's latest execution; reserved under a lock so concurrent executions queue up.</summary>
    private sealed class Spacing
    {
        private readonly Lock _lock = new();
        private DateTimeOffset? _last;

        public DateTimeOffset Reserve(DateTimeOffset now, TimeSpan interval)
        {
            lock (_lock)
            {
                var next = _last is { } last && last + interval > now ? last + interval : now;
                _last = next;
                return next;
            }
        }
    }
}
