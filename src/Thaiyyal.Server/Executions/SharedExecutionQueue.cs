namespace Thaiyyal.Server.Executions;

/// <summary>
/// The run queue replicas share through PostgreSQL: a submitted run is a <c>queued</c> row, and any replica's worker
/// claims the oldest one (<c>FOR UPDATE SKIP LOCKED</c>) when it has room, holding it under a lease the
/// <see cref="LeaseKeeper"/> renews. A <c>NOTIFY</c> on <see cref="Channel"/> wakes idle workers everywhere at once;
/// without it they look again after a back-off from <see cref="FirstBackOff"/> up to <see cref="LongestBackOff"/>.
/// </summary>
public sealed class SharedExecutionQueue(
    ServerSettings settings,
    ExecutionStore store,
    IThaiyyalStore database,
    ActiveExecutions active,
    IExecutionEventFeed feed,
    TimeProvider time) : IExecutionQueue
{
    public const string Channel = "thaiyyal_queue";
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(2);

    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _closed;
    private long _depth;

    /// <summary>Runs queued in the whole cluster, as last counted (the lease keeper recounts each heartbeat).</summary>
    public long Depth => Interlocked.Read(ref _depth);

    public void UpdateDepth(long depth) => Interlocked.Exchange(ref _depth, depth);

    /// <summary>Another replica queued a run (or the listener reconnected): idle workers look again.</summary>
    public void Wake() => Interlocked.Exchange(ref _signal, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task<bool> TrySubmitAsync(ExecutionRecord queued, CancellationToken cancellationToken)
    {
        // The limit is on the cluster's queue as last counted, so a burst may pass it by what arrives within one heartbeat.
        if (Depth >= settings.Executions.AsyncQueueLength) return false;
        await store.Repository.InsertAsync(queued, cancellationToken);
        Interlocked.Increment(ref _depth);
        try
        {
            await database.SignalAsync(Channel, "", CancellationToken.None);
        }
        catch (StorageException)
        {
            // The run is queued; workers find it by polling.
        }
        return true;
    }

    public async Task<ExecutionRecord?> ClaimAsync(CancellationToken cancellationToken)
    {
        var backOff = FirstBackOff;
        while (!_closed)
        {
            var signal = Volatile.Read(ref _signal).Task;
            var claimed = await store.Repository.ClaimNextAsync(store.Replica, settings.Executions.Lease, cancellationToken);
            if (claimed is not null)
            {
                Interlocked.Decrement(ref _depth);
                ExecutionMetrics.QueueWait.Record(Math.Max(0, ((claimed.StartedAt ?? time.GetUtcNow()) - claimed.CreatedAt).TotalSeconds));
                var run = active.Add(claimed.Id);
                run.TryStart();
                feed.Open(claimed.Id);
                return claimed;
            }
            using var waitEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(signal, Task.Delay(backOff, time, waitEnd.Token));
            await waitEnd.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            backOff = signal.IsCompleted ? FirstBackOff : TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, LongestBackOff.Ticks));
        }
        return null;
    }

    public void Close()
    {
        _closed = true;
        Wake();
    }
}
