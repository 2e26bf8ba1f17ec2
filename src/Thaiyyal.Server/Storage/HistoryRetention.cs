namespace Thaiyyal.Server.Storage;

/// <summary>
/// Retention of execution history: at start and then every <see cref="Interval"/>, removes finished executions
/// older than <c>-history-retention</c> and all but the newest <c>-history-max-executions</c>, with their node runs
/// and events, in transactions of a thousand. A round also comes early, though never within
/// <see cref="ShortestInterval"/> of the one before, once a tenth of <c>-history-max-executions</c> finished runs
/// have been stored since the last round began (<see cref="Recorded"/>): under load the history exceeds its count by
/// that tenth or by a few seconds' runs, not by a minute's. Queued and running executions are never removed. A store
/// that is unavailable is tried again at the next round (the failure is logged and counted in
/// <c>storage_errors_total{operation="execution.prune"}</c>).
/// </summary>
public sealed class HistoryRetention(IThaiyyalStore store, ServerSettings settings, TimeProvider time, ILogger<HistoryRetention> logger)
    : BackgroundService
{
    /// <summary>
    /// Every minute at the latest: a round with nothing to remove costs one index walk. Runs recorded faster than the
    /// count allows bring the round forward (<see cref="Recorded"/>).
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>The least time between the starts of two rounds, however fast runs are recorded.</summary>
    public static readonly TimeSpan ShortestInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs stored since the current round began that bring the next round forward: a tenth of the count kept.</summary>
    private readonly long _earlyAfter = Math.Max(1, settings.HistoryMaxExecutions / 10);

    private long _recorded;
    private TaskCompletionSource _early = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Rounds run one at a time, the loop's and those of a caller of RunOnceAsync (an operator's tool, a test) alike: two
    // would remove the same rows twice over, and the log fields below are a round's own.
    private readonly SemaphoreSlim _round = new(1, 1);

    // What RunOnceAsync has yet to log (only while it holds _round).
    private long _removedSinceLog;
    private int _roundsSinceLog;
    private DateTimeOffset? _lastPrunedLog;
    private int _failedStreak;
    private StorageFailureLog _failures = new(time, Interval);

    /// <summary>
    /// <paramref name="runs"/> more finished runs were stored (by the history writer, or at an asynchronous run's end):
    /// once a tenth of <c>-history-max-executions</c> have been stored since the current round began, the next round
    /// starts as soon as <see cref="ShortestInterval"/> allows.
    /// </summary>
    public void Recorded(int runs)
    {
        if (Interlocked.Add(ref _recorded, runs) >= _earlyAfter) Volatile.Read(ref _early).TrySetResult();
    }

    /// <summary>Rounds run on a thread of their own (<see cref="OwnThread"/>): a large round takes seconds.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => OwnThread.Run(() => Rounds(stoppingToken));

    private void Rounds(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A fresh signal before the count starts again: runs stored from here on count towards the next round.
                Volatile.Write(ref _early, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                Interlocked.Exchange(ref _recorded, 0);
                var started = time.GetUtcNow();
                RunOnceAsync(stoppingToken).GetAwaiter().GetResult();
                WaitForNextRound(started, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// Waits until <see cref="Interval"/> after <paramref name="started"/>, or until runs stored bring the next round
    /// forward, but at least until <see cref="ShortestInterval"/> after it.
    /// </summary>
    private void WaitForNextRound(DateTimeOffset started, CancellationToken stoppingToken)
    {
        Delay(started + ShortestInterval - time.GetUtcNow(), stoppingToken);
        var rest = started + Interval - time.GetUtcNow();
        if (rest <= TimeSpan.Zero) return;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task.WhenAny(Task.Delay(rest, time, wait.Token), Volatile.Read(ref _early).Task).GetAwaiter().GetResult();
        wait.Cancel();
        stoppingToken.ThrowIfCancellationRequested();
    }

    private void Delay(TimeSpan delay, CancellationToken stoppingToken)
    {
        if (delay > TimeSpan.Zero) Task.Delay(delay, time, stoppingToken).GetAwaiter().GetResult();
    }

    /// <summary>
    /// One round; returns how many executions went (0 when the store was unavailable). Rounds come up to once a second
    /// under load, so their log records are gathered: removals are logged at most once per <see cref="Interval"/>
    /// (<c>removed</c> in all the rounds since the last record, <c>rounds</c> how many), and a store that keeps failing
    /// is logged at its first failed round and then at most once per <see cref="Interval"/> (<c>rounds_failed</c> since
    /// the last record), until a round works again (<c>execution history pruned again</c>, with the streak's
    /// <c>rounds_failed</c>). A round asked for while another runs starts when that one ends.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken);
        try
        {
            int removed;
            try
            {
                removed = await store.Executions.PruneAsync(time.GetUtcNow() - settings.HistoryRetention,
                    settings.HistoryMaxExecutions, cancellationToken);
            }
            catch (StorageException ex)
            {
                Failed(ex);
                return 0;
            }
            if (_failedStreak > 0)
            {
                logger.Fields(LogLevel.Information, "execution history pruned again", ("rounds_failed", _failedStreak));
                // The next streak is logged from its first failed round.
                (_failedStreak, _failures) = (0, new StorageFailureLog(time, Interval));
            }
            Pruned(removed);
            return removed;
        }
        finally
        {
            _round.Release();
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _round.Dispose();
    }

    private void Pruned(int removed)
    {
        var now = time.GetUtcNow();
        if (removed > 0)
        {
            _removedSinceLog += removed;
            _roundsSinceLog++;
        }
        if (_removedSinceLog == 0 || (_lastPrunedLog is { } last && now - last < Interval)) return;
        logger.Fields(LogLevel.Information, "execution history pruned", ("removed", _removedSinceLog), ("rounds", _roundsSinceLog));
        (_removedSinceLog, _roundsSinceLog, _lastPrunedLog) = (0, 0, now);
    }

    private void Failed(StorageException ex)
    {
        _failedStreak++;
        if (_failures.ShouldLog("execution.prune", out var unlogged))
            logger.Fields(LogLevel.Warning, "execution history not pruned: the store is unavailable", ("error", ex.Message),
                ("rounds_failed", unlogged + 1));
    }
}
