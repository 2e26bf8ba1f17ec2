using System.Threading.RateLimiting;
using Thaiyyal.Server.Configuration;

namespace Thaiyyal.Server.Hosting;

/// <summary>
/// Admits workflow runs: at most <see cref="ServerSettings.MaxConcurrentRuns"/> execute at once and at most
/// <see cref="ServerSettings.RunQueueLength"/> wait for a slot (beyond that: 429). Holds the token that cancels
/// every in-flight run when graceful shutdown runs out of time.
/// </summary>
public sealed class RunCoordinator : IDisposable
{
    private readonly ConcurrencyLimiter _slots;
    private readonly CancellationTokenSource _shutdown = new();
    private int _running;

    public RunCoordinator(ServerSettings settings)
    {
        Capacity = settings.MaxConcurrentRuns;
        QueueLength = settings.RunQueueLength;
        _slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Capacity,
            QueueLimit = QueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int Capacity { get; }

    public int QueueLength { get; }

    /// <summary>Runs executing now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Runs waiting for a slot.</summary>
    public long Queued => _slots.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Fires when shutdown cancels the runs still executing.</summary>
    public CancellationToken ShutdownToken => _shutdown.Token;

    public bool ShutdownRequested => _shutdown.IsCancellationRequested;

    /// <summary>Waits for a slot; null when the queue is full too.</summary>
    public async ValueTask<RunSlot?> TryEnterAsync(CancellationToken cancellationToken)
    {
        var lease = await _slots.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return null;
        }
        Interlocked.Increment(ref _running);
        return new RunSlot(this, lease);
    }

    /// <summary>Cancels every in-flight run (graceful shutdown's last resort).</summary>
    public void CancelRuns() => _shutdown.Cancel();

    public void Dispose()
    {
        _slots.Dispose();
        _shutdown.Dispose();
    }

    /// <summary>A held run slot; dispose to free it.</summary>
    public sealed class RunSlot(RunCoordinator owner, RateLimitLease lease) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            Interlocked.Decrement(ref owner._running);
            lease.Dispose();
        }
    }
}
