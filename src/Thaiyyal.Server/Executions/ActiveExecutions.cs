using System.Collections.Concurrent;

namespace Thaiyyal.Server.Executions;

/// <summary>The asynchronous runs this process has queued or is running, with the token that cancels each.</summary>
public sealed class ActiveExecutions
{
    private readonly ConcurrentDictionary<string, ActiveExecution> _runs = new(StringComparer.Ordinal);

    public ActiveExecution Add(string id) => _runs.GetOrAdd(id, static id => new ActiveExecution(id));

    public bool TryGet(string id, out ActiveExecution? run) => _runs.TryGetValue(id, out run);

    public void Remove(ActiveExecution run)
    {
        _runs.TryRemove(new KeyValuePair<string, ActiveExecution>(run.Id, run));
        run.MarkFinished();
    }

    /// <summary>Runs waiting for a worker.</summary>
    public int Queued => _runs.Values.Count(r => r.State == ActiveExecution.Phase.Queued);

    /// <summary>The ids of the runs executing now.</summary>
    public IReadOnlyCollection<string> RunningIds() =>
        [.. _runs.Values.Where(r => r.State == ActiveExecution.Phase.Running).Select(r => r.Id)];

    /// <summary>Runs executing now.</summary>
    public int Running => _runs.Values.Count(r => r.State == ActiveExecution.Phase.Running);
}

/// <summary>
/// One queued or running asynchronous run. Starting and cancelling-while-queued race for the run under its lock:
/// exactly one wins, so a run cancelled before a worker takes it never starts.
/// </summary>
public sealed class ActiveExecution(string id) : IDisposable
{
    public enum Phase
    {
        Queued,
        Running,
        Finished,
    }

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;

    public Phase State { get; private set; } = Phase.Queued;

    /// <summary>Fires when the cancel route stops the run.</summary>
    public CancellationToken CancellationToken => _cancel.Token;

    public bool CancelRequested => _cancel.IsCancellationRequested;

    /// <summary>The run's row is not this replica's any more (lease lapsed): it stops and stores nothing.</summary>
    public bool GivenUp { get; private set; }

    /// <summary>The executor is storing the final state: the row is final or about to be, whatever a renewal saw.</summary>
    public bool Finishing { get; private set; }

    /// <summary>Stops a run whose row another replica took over (<see cref="GivenUp"/>).</summary>
    public void GiveUp()
    {
        lock (_lock)
        {
            if (Finishing) return;
            GivenUp = true;
        }
        _cancel.Cancel();
    }

    /// <summary>
    /// From here the executor stores the run's end; false when it was given up first (then it stores nothing).
    /// </summary>
    public bool TryBeginFinishing()
    {
        lock (_lock)
        {
            if (GivenUp) return false;
            Finishing = true;
            return true;
        }
    }

    /// <summary>Completes when the run's final state is stored.</summary>
    public Task Finished => _finished.Task;

    /// <summary>A worker takes the run; false when it was cancelled while queued.</summary>
    public bool TryStart()
    {
        lock (_lock)
        {
            if (State != Phase.Queued || _cancel.IsCancellationRequested) return false;
            State = Phase.Running;
            return true;
        }
    }

    /// <summary>Requests cancellation. True when the run was still queued: the caller then finishes it as cancelled.</summary>
    public bool Cancel()
    {
        lock (_lock)
        {
            _cancel.Cancel();
            if (State != Phase.Queued) return false;
            State = Phase.Finished;
            return true;
        }
    }

    internal void MarkFinished()
    {
        lock (_lock) State = Phase.Finished;
        _finished.TrySetResult();
    }

    public void Dispose() => _cancel.Dispose();
}
