namespace Thaiyyal.Engine.Nodes;

/// <summary>Sleeping for nodes: on the run's <see cref="TimeProvider"/> so tests can fake time, cancelled with the run.</summary>
internal static class NodeClock
{
    /// <summary>Waits <paramref name="duration"/> (nothing for zero or negative) or until the node's token fires.</summary>
    public static Task SleepAsync(NodeContext context, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (duration <= TimeSpan.Zero) return Task.CompletedTask;
        // Task.Delay rejects delays above ~49 days; no run lives that long, so cap instead of failing.
        var capped = duration > MaxSleep ? MaxSleep : duration;
        return Task.Delay(capped, context.TimeProvider, context.CancellationToken);
    }

    private static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
}
