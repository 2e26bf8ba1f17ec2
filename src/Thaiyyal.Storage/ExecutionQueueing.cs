namespace Thaiyyal.Storage;

/// <summary>What a cancel request found: the run was still queued (now cancelled), is running (asked to stop), or neither.</summary>
public enum CancelRequestOutcome
{
    NotFound,
    CancelledWhileQueued,
    RequestedWhileRunning,
    AlreadyFinished,
}

/// <summary>The answer of a lease renewal: runs to cancel, and runs that are not the renewing replica's any more.</summary>
public sealed record LeaseRenewal(IReadOnlyList<string> CancelRequested, IReadOnlyList<string> NotHeld);

/// <summary>What became of runs whose lease ran out: marked interrupted, or put back on the queue to start over.</summary>
public sealed record LeaseExpiry(IReadOnlyList<string> Interrupted, IReadOnlyList<string> Requeued);

/// <summary>
/// The run queue shared by replicas: queued executions are rows; a replica claims the oldest one (PostgreSQL:
/// <c>SELECT … FOR UPDATE SKIP LOCKED</c>, so concurrent claimers never take the same row or wait on each other) and
/// holds it under a lease it renews while the run goes on. Every method is one transaction.
/// </summary>
public interface IExecutionQueueRepository
{
    /// <summary>Marks the oldest queued run running on <paramref name="replica"/> with a lease of <paramref name="lease"/>; null when none is queued.</summary>
    Task<ExecutionRecord?> ClaimNextAsync(string replica, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the leases of <paramref name="replica"/>'s running runs <paramref name="ids"/>; returns those of them whose
    /// cancel was requested, and those that are no longer running on this replica (finished meanwhile, or its lease
    /// lapsed and another replica interrupted or requeued the run).
    /// </summary>
    Task<LeaseRenewal> RenewLeasesAsync(string replica, IReadOnlyCollection<string> ids, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Running runs whose lease ran out (their replica died): marked interrupted with <paramref name="reason"/>; returns their ids.</summary>
    Task<IReadOnlyList<string>> InterruptExpiredAsync(string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Running runs whose lease ran out (their replica died). Those whose stored payload <paramref name="restartable"/>
    /// accepts, that were not asked to cancel and have been restarted fewer than <paramref name="maxRestarts"/> times,
    /// go back on the queue as new (<see cref="RequeueAsync"/>); the others are marked interrupted with <paramref name="reason"/>.
    /// Rows another transaction holds are left for the next call.
    /// </summary>
    Task<LeaseExpiry> ExpireLeasesAsync(string reason, Func<string?, bool> restartable, int maxRestarts, CancellationToken cancellationToken);

    /// <summary>
    /// Hands <paramref name="replica"/>'s running run <paramref name="id"/> back to the queue: <c>queued</c> again with its
    /// payload and creation time, no replica or lease, the node runs and events of the abandoned attempt removed, and
    /// <see cref="ExecutionRecord.Restarts"/> counted up. False when the row is not running on that replica.
    /// </summary>
    Task<bool> RequeueAsync(string id, string replica, CancellationToken cancellationToken);

    /// <summary>Runs queued and not yet claimed, by any replica.</summary>
    Task<long> CountQueuedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Cancel through any replica: a queued run becomes <c>cancelled</c> with <paramref name="errorJson"/> at once; a running
    /// one gets a cancel request its replica picks up with its next lease renewal.
    /// </summary>
    Task<CancelRequestOutcome> RequestCancelAsync(string id, string errorJson, CancellationToken cancellationToken);
}
