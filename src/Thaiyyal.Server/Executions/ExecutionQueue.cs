using System.Threading.Channels;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Where asynchronous runs wait for a worker. Submitting stores the <c>queued</c> row; claiming hands the next one to
/// a worker and marks it <c>running</c>. The in-process queue hands ids over a channel; a PostgreSQL queue can claim
/// rows with <c>SELECT … FOR UPDATE SKIP LOCKED</c> behind the same interface.
/// </summary>
public interface IExecutionQueue
{
    /// <summary>Runs submitted and not yet claimed.</summary>
    long Depth { get; }

    /// <summary>Stores <paramref name="queued"/> and queues it; false when the queue is full (nothing stored).</summary>
    Task<bool> TrySubmitAsync(ExecutionRecord queued, CancellationToken cancellationToken);

    /// <summary>Waits for the next queued run and marks it running on this replica; null when the queue is closed.</summary>
    Task<ExecutionRecord?> ClaimAsync(CancellationToken cancellationToken);

    /// <summary>No more runs are claimed (shutdown).</summary>
    void Close();
}

/// <summary>The single-process queue: rows in the repository, their ids in a bounded channel.</summary>
public sealed class InProcessExecutionQueue(ServerSettings settings, ExecutionStore store, ActiveExecutions active, TimeProvider time) : IExecutionQueue
{
    private readonly Channel<string> _ids = Channel.CreateBounded<string>(new BoundedChannelOptions(settings.Executions.AsyncQueueLength)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });
    private long _reserved;

    /// <summary>Runs queued and neither claimed nor cancelled.</summary>
    public long Depth => active.Queued;

    public async Task<bool> TrySubmitAsync(ExecutionRecord queued, CancellationToken cancellationToken)
    {
        var repository = store.Repository;
        if (Interlocked.Increment(ref _reserved) > settings.Executions.AsyncQueueLength)
        {
            Interlocked.Decrement(ref _reserved);
            return false;
        }
        try
        {
            await repository.InsertAsync(queued, cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _reserved);
            throw;
        }
        if (_ids.Writer.TryWrite(queued.Id)) return true;
        // Closed for shutdown: the row stays queued and the next start marks it interrupted.
        Interlocked.Decrement(ref _reserved);
        return true;
    }

    public async Task<ExecutionRecord?> ClaimAsync(CancellationToken cancellationToken)
    {
        var repository = store.Repository;
        while (await _ids.Reader.WaitToReadAsync(cancellationToken))
        {
            if (!_ids.Reader.TryRead(out var id)) continue;
            Interlocked.Decrement(ref _reserved);
            var record = await repository.GetAsync(id, cancellationToken);
            if (record is null || record.Status != ExecutionStatus.Queued) continue;   // deleted while queued
            if (!active.TryGet(id, out var run) || !run!.TryStart()) continue;          // cancelled while queued
            var running = record with { Status = ExecutionStatus.Running, StartedAt = time.GetUtcNow(), Replica = store.Replica };
            if (await repository.UpdateAsync(running, cancellationToken)) return running;
        }
        return null;
    }

    public void Close() => _ids.Writer.TryComplete();
}
