using Thaiyyal.Server.Execution;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// The heartbeat of a replica on the shared queue, every third of <see cref="ExecutionSettings.Lease"/>: renews the
/// leases of the runs it executes (and cancels those whose cancel was requested through another replica), marks runs
/// whose lease ran out — their replica died — <c>interrupted</c> (or queued again when their workflow says
/// <c>"on_interrupt": "restart"</c>, see <see cref="OnInterruptField"/>), and recounts the queue for the depth gauge.
/// It also listens for queue, cancel and event signals so that idle workers, cancels and event streams of runs on
/// other replicas react at once.
/// </summary>
public sealed class LeaseKeeper(
    ServerSettings settings,
    ExecutionStore store,
    IThaiyyalStore database,
    IExecutionQueue queue,
    ActiveExecutions active,
    ExecutionEventSignals eventSignals,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    public const string CancelChannel = "thaiyyal_cancel";
    public const string LeaseExpired = "the replica running it stopped answering (its lease ran out)";

    /// <summary>Restarts of one run (<c>"on_interrupt": "restart"</c>) before a lost lease marks it interrupted after all.</summary>
    public const int MaxRestarts = 3;

    private readonly ILogger _log = loggers.CreateLogger("Thaiyyal.Server");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A one-process store (SQLite) has no leases to keep and no other replica to hear from.
        if (!store.IsShared) return;
        var shared = queue as SharedExecutionQueue;
        var listeners = new List<Task>
        {
            database.ListenAsync(CancelChannel, CancelHere, stoppingToken),
            database.ListenAsync(ExecutionEventSignals.Channel, eventSignals.Signal, stoppingToken),
        };
        if (shared is not null && settings.Executions.RunsWorkers)
            listeners.Add(database.ListenAsync(SharedExecutionQueue.Channel, _ => shared.Wake(), stoppingToken));
        var interval = settings.Executions.Lease / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            await BeatAsync(shared, stoppingToken);
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(listeners);
    }

    private async Task BeatAsync(SharedExecutionQueue? shared, CancellationToken stoppingToken)
    {
        var repository = store.Repository;
        try
        {
            var running = active.RunningIds();
            var renewal = await repository.RenewLeasesAsync(store.Replica, running, settings.Executions.Lease, stoppingToken);
            foreach (var id in renewal.CancelRequested) CancelHere(id);
            foreach (var id in renewal.NotHeld) GiveUp(id);
            var expired = await repository.ExpireLeasesAsync(LeaseExpired, OnInterruptField.IsRestart, MaxRestarts, stoppingToken);
            if (expired.Interrupted.Count > 0)
            {
                ExecutionMetrics.RecordInterrupted(expired.Interrupted.Count);
                foreach (var id in expired.Interrupted) await eventSignals.NotifyAsync(id);
                _log.Fields(LogLevel.Warning, "runs of a replica whose lease ran out marked interrupted", ("executions", expired.Interrupted.Count));
            }
            if (expired.Requeued.Count > 0)
            {
                _log.Fields(LogLevel.Warning, "runs of a replica whose lease ran out queued again (on_interrupt: restart)",
                    ("executions", expired.Requeued.Count));
                await database.SignalAsync(SharedExecutionQueue.Channel, "", stoppingToken);
                foreach (var id in expired.Requeued) await eventSignals.NotifyAsync(id);
            }
            shared?.UpdateDepth(await repository.CountQueuedAsync(stoppingToken));
        }
        catch (StorageException ex)
        {
            _log.Fields(LogLevel.Error, "could not renew run leases", ("error", ex.Message));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// A run this replica executes whose row is no longer its own: its lease lapsed (the heartbeat could not reach the
    /// database for a whole lease) and another replica interrupted or requeued it. The run stops here and stores
    /// nothing, so the row keeps what the other replica decided and a restarted run is not run twice at once.
    /// A run that finished between the snapshot and the renewal is already gone from <see cref="ActiveExecutions"/>.
    /// </summary>
    private void GiveUp(string id)
    {
        if (!active.TryGet(id, out var run) || run!.State != ActiveExecution.Phase.Running || run.Finishing) return;
        _log.Fields(LogLevel.Warning, "run given up: its lease lapsed and another replica took it over", ("execution_id", id));
        run.GiveUp();
    }

    /// <summary>A cancel requested through any replica: stops the run if it executes here.</summary>
    private void CancelHere(string id)
    {
        if (id.Length > 0 && active.TryGet(id, out var run) && run!.State == ActiveExecution.Phase.Running) run.Cancel();
    }
}
