namespace Thaiyyal.Server.Storage;

/// <summary>
/// Retention of execution history: at start and then every <see cref="Interval"/>, removes finished executions
/// older than <c>-history-retention</c> and all but the newest <c>-history-max-executions</c>, with their node runs
/// and events, in transactions of a thousand. Queued and running executions are never removed. A store that is unavailable is tried again at the
/// next round (the failure is logged and counted in <c>storage_errors_total{operation="execution.prune"}</c>).
/// </summary>
public sealed class HistoryRetention(IThaiyyalStore store, ServerSettings settings, TimeProvider time, ILogger<HistoryRetention> logger)
    : BackgroundService
{
    /// <summary>
    /// Every minute: under load the history grows by the runs of one interval before a round trims it back to
    /// <c>-history-max-executions</c>, and a round with nothing to remove costs one index walk.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Rounds run on a thread of their own (<see cref="OwnThread"/>): a large round takes seconds.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => OwnThread.Run(() => Rounds(stoppingToken));

    private void Rounds(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                RunOnceAsync(stoppingToken).GetAwaiter().GetResult();
            }
            while (timer.WaitForNextTickAsync(stoppingToken).AsTask().GetAwaiter().GetResult());
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One round; returns how many executions went (0 when the store was unavailable).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var removed = await store.Executions.PruneAsync(time.GetUtcNow() - settings.HistoryRetention,
                settings.HistoryMaxExecutions, cancellationToken);
            if (removed > 0) logger.Fields(LogLevel.Information, "execution history pruned", ("removed", removed));
            return removed;
        }
        catch (StorageException ex)
        {
            logger.Fields(LogLevel.Warning, "execution history not pruned: the store is unavailable", ("error", ex.Message));
            return 0;
        }
    }
}
