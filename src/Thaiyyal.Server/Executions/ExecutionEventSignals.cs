using System.Collections.Concurrent;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Wake-ups for event streams that follow a run from the store because another replica executes it. The executing
/// replica sends <c>NOTIFY thaiyyal_events, '&lt;execution id&gt;'</c> whenever it has stored new events or the final
/// state; the <see cref="LeaseKeeper"/> listens and calls <see cref="Signal"/>, which wakes the streams of that run here
/// at once. Streams still re-read the store after <see cref="FallbackInterval"/> in case a notification was lost.
/// </summary>
public sealed class ExecutionEventSignals(IThaiyyalStore database)
{
    public const string Channel = "thaiyyal_events";

    /// <summary>The longest a stream waits without a notification before it reads the store anyway.</summary>
    public static readonly TimeSpan FallbackInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    /// <summary>Completes at the next signal for <paramref name="executionId"/>; take it before reading the store, so none is missed.</summary>
    public Task Next(string executionId) =>
        _waiting.GetOrAdd(executionId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>New events or a new state of the run are stored (a notification from any replica).</summary>
    public void Signal(string executionId)
    {
        if (_waiting.TryRemove(executionId, out var waiting)) waiting.TrySetResult();
    }

    /// <summary>Tells every replica that the run's stored events or state changed; a failure only delays the streams.</summary>
    public async Task NotifyAsync(string executionId)
    {
        try
        {
            await database.SignalAsync(Channel, executionId, CancellationToken.None);
        }
        catch (StorageException)
        {
            // Streams elsewhere find the change at their next fallback read.
        }
    }
}
