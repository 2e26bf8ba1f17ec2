using Thaiyyal.Storage;

namespace Thaiyyal.Server.Tests.Support;

/// <summary>
/// The store the execution tests run against: a real SQLite file in a fresh directory under the server tests' temporary
/// data root (removed with the other test data directories).
/// </summary>
public static class TestStores
{
    public static Task<IThaiyyalStore> Open() =>
        StoreFactory.OpenAsync(new StoreOptions { DataDirectory = TestHost.RunningServer.TemporaryDataDirectory() });
}

/// <summary>
/// Any store whose <see cref="IExecutionRepository.SaveCompletedAsync"/> waits while the gate is closed, to show
/// that requests do not wait for the history writer and what happens while it is stuck.
/// </summary>
public sealed class GatedStore(IThaiyyalStore inner) : IThaiyyalStore
{
    private readonly GatedExecutions _executions = new(inner.Executions);

    public string Provider => inner.Provider;

    public IWorkflowRepository Workflows => inner.Workflows;

    public IHttpClientRepository HttpClients => inner.HttpClients;

    public IExecutionRepository Executions => _executions;

    /// <summary>Saves wait from now until <see cref="Open"/>.</summary>
    public void Close() => _executions.Close();

    public void Open() => _executions.Open();

    /// <summary>Every execution call fails from now on with a <see cref="StorageException"/> naming <paramref name="reason"/>.</summary>
    public void Break(string reason) => _executions.Broken = reason;

    /// <summary>Ends <see cref="Break"/>: execution calls reach the store again.</summary>
    public void Mend() => _executions.Broken = null;

    /// <summary>
    /// Saves of a batch holding a run of the payload with this hash fail from now on with <paramref name="fault"/>, as a
    /// store refusing that row would (for its data, or because its disk is full); null saves every row again.
    /// </summary>
    public void Refuse(string? payloadHash, StorageFault fault = StorageFault.Unknown) => (_executions.Refused, _executions.RefusedAs) = (payloadHash, fault);

    /// <summary><see cref="Refuse"/> for the runs of a posted payload (its hash as the server records it).</summary>
    public void RefuseRunsOf(string payload, StorageFault fault = StorageFault.Unknown) =>
        Refuse(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(payload))), fault);

    /// <summary>Completes at the first save that failed.</summary>
    public Task SaveFailed => _executions.SaveFailed.Task;

    /// <summary>How many finished runs each save of them was handed, in order.</summary>
    public IReadOnlyList<int> SavedBatchSizes => [.. _executions.BatchSizes];

    /// <summary>Every save of finished runs takes this much longer from now on, as a slower disk would make it.</summary>
    public void SlowSavesBy(TimeSpan delay) => _executions.SaveDelay = delay;

    /// <summary>Completes at the first save of finished runs, with whether it ran on a thread-pool thread.</summary>
    public Task<bool> FirstSaveOnPoolThread => _executions.FirstSave.Task;

    /// <summary>Completes when a save is waiting at the closed gate.</summary>
    public Task SaveWaiting => _executions.SaveWaiting;

    /// <summary>Completes at the first prune, with whether it ran on a thread-pool thread.</summary>
    public Task<bool> FirstPruneOnPoolThread => _executions.FirstPrune.Task;

    /// <summary>Every prune waits <paramref name="delay"/> before it runs.</summary>
    public void SlowPrunesBy(TimeSpan delay) => _executions.PruneDelay = delay;

    /// <summary>The most prunes that were under way at once.</summary>
    public int MostPrunesAtOnce => _executions.MostPrunesAtOnce;

    /// <summary>The health check fails with <paramref name="reason"/> from now on while saves still work (null: it passes again).</summary>
    public void ReportUnhealthy(string? reason) => _unhealthy = reason;

    private volatile string? _unhealthy;

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        (_executions.Broken ?? _unhealthy) is { } reason ? Task.FromResult(new StoreHealth(false, reason)) : inner.CheckHealthAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class GatedExecutions(IExecutionRepository inner) : IExecutionRepository
    {
        private TaskCompletionSource _gate = Opened();
        private TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task SaveWaiting => _waiting.Task;

        public string? Broken { get; set; }

        private IExecutionRepository Inner => Broken is { } reason ? throw new StorageException(reason) : inner;

        public void Close()
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Open() => _gate.TrySetResult();

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }

        public string? Refused { get; set; }

        public StorageFault RefusedAs { get; set; }

        public TaskCompletionSource SaveFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> FirstSave { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<int> BatchSizes { get; } = new();

        public TimeSpan SaveDelay { get; set; }

        public async Task SaveCompletedAsync(IReadOnlyList<CompletedExecution> batch, CancellationToken cancellationToken)
        {
            FirstSave.TrySetResult(Thread.CurrentThread.IsThreadPoolThread);
            BatchSizes.Enqueue(batch.Count);
            if (SaveDelay > TimeSpan.Zero) await Task.Delay(SaveDelay, cancellationToken);
            var gate = _gate.Task;
            if (!gate.IsCompleted) _waiting.TrySetResult();
            await gate;
            try
            {
                if (Refused is { } hash && batch.Any(c => c.Execution.PayloadHash == hash))
                    throw new StorageException("the store refused the row of a run of payload " + hash, null, RefusedAs);
                await Inner.SaveCompletedAsync(batch, cancellationToken);
            }
            catch (StorageException)
            {
                SaveFailed.TrySetResult();
                throw;
            }
        }

        public Task InsertAsync(ExecutionRecord execution, CancellationToken cancellationToken) => Inner.InsertAsync(execution, cancellationToken);

        public Task<bool> UpdateAsync(ExecutionRecord execution, CancellationToken cancellationToken) => Inner.UpdateAsync(execution, cancellationToken);

        public Task AppendEventsAsync(IReadOnlyList<ExecutionEventRecord> events, CancellationToken cancellationToken) => Inner.AppendEventsAsync(events, cancellationToken);

        public Task<bool> AppendAttemptEventsAsync(ExecutionRecord attempt, IReadOnlyList<ExecutionEventRecord> events, CancellationToken cancellationToken) =>
            Inner.AppendAttemptEventsAsync(attempt, events, cancellationToken);

        public Task AddNodeRunsAsync(IReadOnlyList<NodeRunRecord> nodes, CancellationToken cancellationToken) => Inner.AddNodeRunsAsync(nodes, cancellationToken);

        public Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken) => Inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<NodeRunRecord>> GetNodeRunsAsync(string id, CancellationToken cancellationToken) => Inner.GetNodeRunsAsync(id, cancellationToken);

        public Task<IReadOnlyList<ExecutionEventRecord>> GetEventsAsync(string id, long afterSequence, CancellationToken cancellationToken) =>
            inner.GetEventsAsync(id, afterSequence, cancellationToken);

        public Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken) => Inner.ListAsync(query, cancellationToken);

        public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Inner.DeleteAsync(id, cancellationToken);

        public Task<int> MarkInterruptedAsync(string? replica, string reason, CancellationToken cancellationToken) =>
            inner.MarkInterruptedAsync(replica, reason, cancellationToken);

        public Task<ExecutionRecord?> ClaimNextAsync(string replica, TimeSpan lease, CancellationToken cancellationToken) =>
            Inner.ClaimNextAsync(replica, lease, cancellationToken);

        public Task<LeaseRenewal> RenewLeasesAsync(string replica, IReadOnlyCollection<string> ids, TimeSpan lease, CancellationToken cancellationToken) =>
            Inner.RenewLeasesAsync(replica, ids, lease, cancellationToken);

        public Task<IReadOnlyList<string>> InterruptExpiredAsync(string reason, CancellationToken cancellationToken) =>
            Inner.InterruptExpiredAsync(reason, cancellationToken);

        public Task<LeaseExpiry> ExpireLeasesAsync(string reason, Func<string?, bool> restartable, int maxRestarts, CancellationToken cancellationToken) =>
            Inner.ExpireLeasesAsync(reason, restartable, maxRestarts, cancellationToken);

        public Task<bool> RequeueAsync(string id, string replica, CancellationToken cancellationToken) =>
            Inner.RequeueAsync(id, replica, cancellationToken);

        public Task<long> CountQueuedAsync(CancellationToken cancellationToken) => Inner.CountQueuedAsync(cancellationToken);

        public Task<CancelRequestOutcome> RequestCancelAsync(string id, string errorJson, CancellationToken cancellationToken) =>
            Inner.RequestCancelAsync(id, errorJson, cancellationToken);

        public TaskCompletionSource<bool> FirstPrune { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>How long each prune waits before it runs.</summary>
        public TimeSpan PruneDelay { get; set; }

        /// <summary>The most prunes that were under way at once.</summary>
        public int MostPrunesAtOnce => Volatile.Read(ref _mostPrunes);

        private int _prunes, _mostPrunes;

        public async Task<int> PruneAsync(DateTimeOffset cutoff, int keep, CancellationToken cancellationToken)
        {
            FirstPrune.TrySetResult(Thread.CurrentThread.IsThreadPoolThread);
            var now = Interlocked.Increment(ref _prunes);
            for (var most = Volatile.Read(ref _mostPrunes); now > most; most = Volatile.Read(ref _mostPrunes))
                Interlocked.CompareExchange(ref _mostPrunes, now, most);
            try
            {
                if (PruneDelay > TimeSpan.Zero) await Task.Delay(PruneDelay, cancellationToken);
                return await Inner.PruneAsync(cutoff, keep, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _prunes);
            }
        }

        public Task<int?> ClaimIdGeneratorAsync(string claim, string instance, DateTimeOffset staleBefore, int slots, CancellationToken cancellationToken) =>
            Inner.ClaimIdGeneratorAsync(claim, instance, staleBefore, slots, cancellationToken);

        public Task<bool> RenewIdGeneratorAsync(int slot, string claim, CancellationToken cancellationToken) =>
            Inner.RenewIdGeneratorAsync(slot, claim, cancellationToken);
    }
}
