using System.Diagnostics;
using System.Text;
using Thaiyyal.Server.Storage;
using Thaiyyal.Server.Telemetry;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Executes one claimed asynchronous run: its events go live to the event feed and are stored in batches while it
/// runs; at the end its final state (status, output or the failure body the synchronous route would have answered,
/// node runs, remaining events) is stored in one transaction. A run cancelled through the API ends
/// <c>cancelled</c>; one cut by graceful shutdown <c>interrupted</c>; other failures <c>failed</c>.
/// </summary>
public sealed class AsyncRunExecutor(
    ServerSettings settings,
    WorkflowEngine engine,
    ExecutionStore store,
    IExecutionEventFeed feed,
    ActiveExecutions active,
    RunCoordinator runs,
    IThaiyyalStore database,
    ExecutionEventSignals eventSignals,
    HistoryRetention retention,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <summary>How often a running run's new events are stored.</summary>
    public static readonly TimeSpan EventFlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly ILogger _engineLog = loggers.CreateLogger("Thaiyyal.Engine");
    private readonly ILogger _serverLog = loggers.CreateLogger("Thaiyyal.Server");

    public async Task ExecuteAsync(ExecutionRecord running)
    {
        var repository = store.Repository;
        if (!active.TryGet(running.Id, out var run)) run = active.Add(running.Id);
        var journal = new RunJournal(running.Id, settings.Executions, feed.Publish);
        using var flushing = new CancellationTokenSource();
        var flusher = FlushEventsAsync(running, journal, repository, flushing.Token);
        var started = Stopwatch.GetTimestamp();
        ExecutionStatus status;
        byte[] body;
        byte[]? storedBody = null;
        string? finalOutput = null;
        ExecutionResult? answer = null;
        try
        {
            (status, body, storedBody, finalOutput, answer) = await RunAsync(running, run!, journal, started);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            status = ExecutionStatus.Failed;
            body = Encoding.UTF8.GetBytes(FailureBody("unknown", "workflow execution failed: " + ex.Message));
            _serverLog.Fields(LogLevel.Error, "asynchronous run failed unexpectedly", ("execution_id", running.Id), ("error", ex.Message));
        }
        // The flusher stops first: nothing of this attempt may be stored after a hand-back; what it has not stored goes
        // with the final record.
        await flushing.CancelAsync();
        await flusher;
        if (!run!.TryBeginFinishing())
        {
            // Another replica interrupted or requeued the row after this replica's lease lapsed: its decision stands.
            feed.Release(running.Id);
            active.Remove(run);
            run.Dispose();
            return;
        }
        if (status == ExecutionStatus.Interrupted && await HandBackAsync(running, repository))
        {
            feed.Release(running.Id);
            active.Remove(run!);
            run!.Dispose();
            return;
        }
        if (status == ExecutionStatus.Interrupted) ExecutionMetrics.RecordInterrupted(1);
        // Watchers get the whole body; the record keeps it within the history's cap (StoredAnswer), once: a failure's body
        // is read from this end event, not kept in ErrorJson as well (StoredNodeRuns.DetailAsync).
        journal.Finish(status, body, storedBodyUtf8: storedBody);
        feed.Complete(running.Id);
        var final = running with
        {
            Status = status,
            EndedAt = time.GetUtcNow(),
            DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            FinalOutputJson = finalOutput,
            PayloadJson = null,
        };
        await StoreFinalAsync(repository, journal.Build(final, answer));
        feed.Release(running.Id);
        active.Remove(run!);
        run!.Dispose();
    }

    /// <summary>
    /// A run cut by graceful shutdown whose workflow says <c>"on_interrupt": "restart"</c> goes back on the shared queue
    /// for another replica (its stored events and node runs of this attempt are dropped); true when it did.
    /// </summary>
    private async Task<bool> HandBackAsync(ExecutionRecord running, IExecutionRepository repository)
    {
        if (!store.IsShared || running.Restarts >= LeaseKeeper.MaxRestarts || !Execution.OnInterruptField.IsRestart(running.PayloadJson)) return false;
        try
        {
            if (!await repository.RequeueAsync(running.Id, store.Replica, CancellationToken.None)) return false;
            _serverLog.Fields(LogLevel.Warning, "run handed back to the queue at shutdown (on_interrupt: restart)", ("execution_id", running.Id));
            await database.SignalAsync(SharedExecutionQueue.Channel, "", CancellationToken.None);
            await eventSignals.NotifyAsync(running.Id);
        }
        catch (StorageException ex)
        {
            // Requeued or not, the row is not this replica's to finish any more once the statement ran; if it did not run,
            // the lease runs out and another replica requeues it.
            _serverLog.Fields(LogLevel.Error, "could not hand a run back to the queue", ("execution_id", running.Id), ("error", ex.Message));
        }
        return true;
    }

    /// <summary>Finishes a run cancelled before a worker took it: no engine run, just the final state and event.</summary>
    public async Task CancelQueuedAsync(ActiveExecution run)
    {
        try
        {
            var journal = new RunJournal(run.Id, settings.Executions, feed.Publish);
            var body = FailureBody("cancelled", "workflow execution cancelled before it started");
            journal.Finish(ExecutionStatus.Cancelled, body);
            feed.Complete(run.Id);
            if (await store.Repository.GetAsync(run.Id, CancellationToken.None) is { } queued)
            {
                var final = queued with { Status = ExecutionStatus.Cancelled, EndedAt = time.GetUtcNow(), PayloadJson = null };
                await StoreFinalAsync(store.Repository, journal.Build(final));
            }
        }
        finally
        {
            feed.Release(run.Id);
            active.Remove(run);
            run.Dispose();
        }
    }

    /// <returns>
    /// How the run ended, the body it answers, the body its record keeps when that differs, its final output as stored,
    /// and the run's result when the kept body is the whole answer (its node runs then refer to it, as a synchronous
    /// run's do, instead of keeping their results again).
    /// </returns>
    private async Task<(ExecutionStatus, byte[], byte[]?, string?, ExecutionResult?)> RunAsync(ExecutionRecord running, ActiveExecution run, RunJournal journal, long started)
    {
        Workflow workflow;
        IReadOnlyDictionary<string, Value>? pins;
        try
        {
            var payload = Encoding.UTF8.GetBytes(running.PayloadJson ?? "");
            workflow = engine.Parse(payload);
            pins = Execution.PinnedResultsField.Read(payload, workflow, engine.Options.Limits);
        }
        catch (WorkflowException ex)
        {
            return (ExecutionStatus.Failed, NodeEventJson.WriteValueUtf8(w => ExecutionResponseWriter.WriteRejected(w, ex)), null, null, null);
        }
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(run.CancellationToken, runs.ShutdownToken);
        var telemetry = new RunTelemetryObserver(_engineLog, running.WorkflowId ?? "", engine.Options.Limits);
        var result = await engine.ExecuteAsync(workflow, new RunOptions { Observer = new ObserverFanOut(telemetry, journal), ExecutionId = running.Id, PinnedResults = pins }, cancellation.Token);
        var status = result.Error switch
        {
            null => ExecutionStatus.Succeeded,
            { Kind: ExecutionErrorKind.Cancelled } when run.CancelRequested => ExecutionStatus.Cancelled,
            { Kind: ExecutionErrorKind.Cancelled } when runs.ShutdownRequested => ExecutionStatus.Interrupted,
            _ => ExecutionStatus.Failed,
        };
        if (status == ExecutionStatus.Cancelled)
            result = result with { Error = result.Error! with { Message = "workflow execution cancelled through the API" } };
        else if (status == ExecutionStatus.Interrupted)
            result = result with { Error = result.Error! with { Message = "workflow execution cancelled: the server is shutting down" } };
        var elapsed = Stopwatch.GetElapsedTime(started);
        Action<System.Text.Json.Utf8JsonWriter>? extra = running.WorkflowId is null ? null : w => w.WriteString("workflow_id", running.WorkflowId);
        var body = NodeEventJson.WriteValueUtf8(w => ExecutionResponseWriter.Write(w, result, elapsed, extra));
        var stored = StoredAnswer.Of(body, result, elapsed, extra, settings.Executions.MaxResultBytes, out var whole);
        var output = result.Success ? NodeEventJson.Capped(result.FinalOutput, settings.Executions.MaxResultBytes).Json : null;
        if (!result.Success)
            _serverLog.Fields(LogLevel.Error, ExecutionResponseWriter.ExecutionFailed, ("execution_id", running.Id), ("error", result.Error!.Message), ("status", ExecutionStatusText.Of(status)));
        return (status, body, whole ? null : stored, output, whole ? result : null);
    }

    /// <summary>Stores the run's new events every <see cref="EventFlushInterval"/> until it ends.</summary>
    private async Task FlushEventsAsync(ExecutionRecord attempt, RunJournal journal, IExecutionRepository repository, CancellationToken stop)
    {
        var failing = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(EventFlushInterval, time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var events = journal.UnpersistedEvents();
            if (events.Count == 0) continue;
            try
            {
                // Not this attempt's run any more (its lease lapsed and another replica took over): nothing more of it is stored.
                if (!await repository.AppendAttemptEventsAsync(attempt, events, CancellationToken.None)) return;
                journal.MarkPersisted(events.Count);
                failing = false;
                if (store.IsShared) await eventSignals.NotifyAsync(journal.ExecutionId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // They stay unpersisted and go with the final record. Logged once per streak: this runs ten times a second.
                if (!failing)
                    _serverLog.Fields(LogLevel.Warning, "could not store execution events yet", ("execution_id", journal.ExecutionId), ("error", ex.Message));
                failing = true;
            }
        }
    }

    /// <summary>
    /// Stores the run's final state. While the store is unavailable it is tried again as <see cref="StoreRetry"/> says:
    /// otherwise the record would say <c>running</c> until the next start marked it interrupted, and its result would be
    /// lost. A record the store refuses for itself is given up, and so it is at shutdown (the next start, or another
    /// replica once the lease lapses, marks the run interrupted).
    /// </summary>
    private async Task StoreFinalAsync(IExecutionRepository repository, CompletedExecution completed)
    {
        var wait = StoreRetry.FirstWait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await repository.SaveCompletedAsync([completed], CancellationToken.None);
                retention.Recorded(1);
                if (attempt > 1)
                    _serverLog.Fields(LogLevel.Information, "final state of an asynchronous run stored", ("execution_id", completed.Execution.Id), ("attempts", attempt));
                if (store.IsShared) await eventSignals.NotifyAsync(completed.Execution.Id);
                return;
            }
            catch (StorageException ex)
            {
                ExecutionMetrics.RecordWriteError();
                if (attempt == 1)
                    _serverLog.Fields(LogLevel.Warning, "could not store the final state of an asynchronous run; retrying",
                        ("execution_id", completed.Execution.Id), ("error", ex.Message));
                if (runs.ShutdownRequested
                    || (StoreRetry.RefusedForItself(ex) ?? (attempt >= StoreRetry.AskStoreFrom && await StoreRetry.StoreHealthyAsync(database))))
                {
                    GiveUp(completed, ex);
                    return;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ExecutionMetrics.RecordWriteError();
                GiveUp(completed, ex);
                return;
            }
            try
            {
                await Task.Delay(wait, time, runs.ShutdownToken);
            }
            catch (OperationCanceledException)
            {
                // Shutdown: one more attempt, then the run is left to the next start.
            }
            wait = StoreRetry.After(wait);
        }
    }

    private void GiveUp(CompletedExecution completed, Exception ex) =>
        _serverLog.Fields(LogLevel.Error, "could not store the final state of an asynchronous run",
            ("execution_id", completed.Execution.Id), ("error", ex.Message));

    /// <summary>The failure body shape for a run that never reached the engine.</summary>
    public static string FailureBody(string kind, string message) => NodeEventJson.Write(w =>
    {
        w.WriteString("details", message);
        w.WriteString("error", ExecutionResponseWriter.ExecutionFailed);
        w.WriteString("error_kind", kind);
        w.WriteBoolean("success", false);
    });
}
