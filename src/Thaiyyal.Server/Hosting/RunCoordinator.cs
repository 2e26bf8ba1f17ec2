using System.Threading.RateLimiting;

namespace Thaiyyal.Server.Hosting;

/// <summary>What <see cref="RunCoordinator.TryEnterAsync"/> decided.</summary>
public enum AdmissionOutcome
{
    Admitted,

    /// <summary>Every run slot is busy and the queue is full.</summary>
    QueueFull,

    /// <summary>This client already holds <see cref="ServerSettings.MaxRunsPerClient"/> runs (running or queued).</summary>
    ClientLimit,
}

/// <summary>
/// Admits workflow runs: at most <see cref="ServerSettings.MaxConcurrentRuns"/> execute at once, at most
/// <see cref="ServerSettings.RunQueueLength"/> wait for a slot (beyond that: 429), and one client holds at most
/// <see cref="ServerSettings.MaxRunsPerClient"/> of them, so one client cannot take every slot. A slot is an
/// admission ticket, not a thread: a run that waits (delay, HTTP call, retry back-off) awaits without a thread, and
/// CPU work shares the thread pool, which is sized by the runtime to the CPUs. Holds the token that cancels every
/// in-flight run when graceful shutdown runs out of time.
/// </summary>
public sealed class RunCoordinator : IDisposable
{
    private readonly ConcurrencyLimiter _slots;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private readonly object _clientGate = new();
    private int _running;

    public RunCoordinator(ServerSettings settings)
    {
        Capacity = settings.MaxConcurrentRuns;
        QueueLength = settings.RunQueueLength;
        PerClient = settings.MaxRunsPerClient;
        _slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Capacity,
            QueueLimit = QueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int Capacity { get; }

    public int QueueLength { get; }

    /// <summary>Runs one client may hold; zero: no cap.</summary>
    public int PerClient { get; }

    /// <summary>Runs executing now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Runs waiting for a slot.</summary>
    public long Queued => _slots.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Fires when shutdown cancels the runs still executing.</summary>
    public CancellationToken ShutdownToken => _shutdown.Token;

    public bool ShutdownRequested => _shutdown.IsCancellationRequested;

    /// <summary>Waits for a slot for <paramref name="client"/> (see <see cref="ClientIdentity"/>).</summary>
    public async ValueTask<(AdmissionOutcome Outcome, RunSlot? Slot)> TryEnterAsync(string client, CancellationToken cancellationToken)
    {
        if (!TryHoldClient(client)) return (AdmissionOutcome.ClientLimit, null);
        RateLimitLease lease;
        try
        {
            lease = await _slots.AcquireAsync(1, cancellationToken);
        }
        catch
        {
            ReleaseClient(client);
            throw;
        }
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            ReleaseClient(client);
            return (AdmissionOutcome.QueueFull, null);
        }
        Interlocked.Increment(ref _running);
        return (AdmissionOutcome.Admitted, new RunSlot(this, lease, client));
    }

    private bool TryHoldClient(string client)
    {
        if (PerClient <= 0) return true;
        lock (_clientGate)
        {
            var held = _perClient.GetValueOrDefault(client);
            if (held >= PerClient) return false;
            _perClient[client] = held + 1;
            return true;
        }
    }

    private void ReleaseClient(string client)
    {
        if (PerClient <= 0) return;
        lock (_clientGate)
        {
            var held = _perClient.GetValueOrDefault(client) - 1;
            if (held <= 0) _perClient.Remove(client);
            else _perClient[client] = held;
        }
    }

    /// <summary>Cancels every in-flight run (graceful shutdown's last resort).</summary>
    public void CancelRuns() => _shutdown.Cancel();

    public void Dispose()
    {
        _slots.Dispose();
        _shutdown.Dispose();
    }

    /// <summary>A held run slot; dispose to free it.</summary>
    public sealed class RunSlot(RunCoordinator owner, RateLimitLease lease, string client) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            Interlocked.Decrement(ref owner._running);
            lease.Dispose();
            owner.ReleaseClient(client);
        }
    }
}
