namespace Thaiyyal.Server.Storage;

/// <summary>
/// Checkpoints an SQLite store's write-ahead log every <see cref="Interval"/>, off the writers' path
/// (<see cref="IThaiyyalStore.CheckpointAsync"/>); does nothing on PostgreSQL. A failed round is logged once per
/// streak of failures (the store's error metric counts each one) and the next round tries again.
/// </summary>
public sealed class StoreCheckpoints(IThaiyyalStore store, TimeProvider time, ILogger<StoreCheckpoints> logger) : BackgroundService
{
    /// <summary>
    /// A quarter of a second: under full load the history writer adds a few thousand pages to the log in that time,
    /// well under the 10,000 pages at which a writer's commit would checkpoint by itself.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private bool _failing;

    /// <summary>Rounds run on a thread of their own (<see cref="OwnThread"/>): a checkpoint copies pages and syncs the file.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        store.Provider != "sqlite" ? Task.CompletedTask : OwnThread.Run(() => Rounds(stoppingToken));

    private void Rounds(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (timer.WaitForNextTickAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
                RunOnceAsync(stoppingToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One round; false when the store was unavailable.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.CheckpointAsync(cancellationToken);
            if (_failing) logger.Fields(LogLevel.Information, "store checkpoints work again");
            _failing = false;
            return true;
        }
        catch (StorageException ex)
        {
            if (!_failing) logger.Fields(LogLevel.Warning, "store checkpoint failed; retrying", ("error", ex.Message));
            _failing = true;
            return false;
        }
    }
}
