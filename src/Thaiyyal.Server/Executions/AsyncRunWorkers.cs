namespace Thaiyyal.Server.Executions;

/// <summary>
/// The worker pool of asynchronous runs: <see cref="ExecutionSettings.Workers"/> loops, each claiming the next run
/// from the <see cref="IExecutionQueue"/> and executing it. At start-up, runs a previous process left queued or
/// running are marked <c>interrupted</c> first. On shutdown workers stop claiming — on a shared queue as soon as it
/// begins (SIGTERM, before the drain delay), on this process's own queue after the drain delay — and each finishes its
/// run within the grace period. A run graceful shutdown has to cut is <c>interrupted</c>,
/// or, on a shared queue when its workflow says <c>"on_interrupt": "restart"</c>, handed back to the queue for another
/// replica (<see cref="AsyncRunExecutor"/>). With SQLite runs still queued are marked interrupted; with PostgreSQL
/// they stay queued for the other replicas.
/// </summary>
public sealed class AsyncRunWorkers(
    ServerSettings settings,
    IExecutionQueue queue,
    ExecutionStore store,
    AsyncRunExecutor executor,
    ActiveExecutions active,
    RunCoordinator runs,
    ILoggerFactory loggers) : IHostedLifecycleService, IDisposable
{
    public const string InterruptedAtStart = "the server stopped before the run finished";
    public const string InterruptedAtShutdown = "the server shut down before the run started";

    private readonly ILogger _log = loggers.CreateLogger("Thaiyyal.Server");
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private IDisposable? _metrics;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _metrics = ExecutionMetrics.Register(new ExecutionLoad(() => runs.Running + active.Running, () => queue.Depth));
        var repository = store.Repository;
        try
        {
            // One process per SQLite store: whatever is unfinished was left by a previous process. On a shared store only
            // this replica's own earlier runs are (others' runs are theirs until their lease runs out).
            var interrupted = await repository.MarkInterruptedAsync(store.IsShared ? store.Replica : null, InterruptedAtStart, cancellationToken);
            ExecutionMetrics.RecordInterrupted(interrupted);
            if (interrupted > 0) _log.Fields(LogLevel.Warning, "runs left unfinished by the previous process marked interrupted", ("executions", interrupted));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _log.Fields(LogLevel.Error, "could not mark unfinished runs interrupted", ("error", ex.Message));
        }
        if (!settings.Executions.RunsWorkers) return;
        for (var i = 0; i < settings.Executions.Workers; i++) _workers.Add(Task.Run(WorkAsync, CancellationToken.None));
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Thaiyyal.Storage.ExecutionRecord? claimed;
            try
            {
                claimed = await queue.ClaimAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _log.Fields(LogLevel.Error, "could not claim a queued run", ("error", ex.Message));
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                continue;
            }
            if (claimed is null) return;
            await executor.ExecuteAsync(claimed);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Shutdown begins. On a shared queue no more claims from now on, the drain delay included: other replicas take
    /// the queued runs. This process's own queue (SQLite) is worked on through the drain delay, since nobody else can.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (!store.IsShared) return;
        queue.Close();
        await _stop.CancelAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Close();
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_workers).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _log.Fields(LogLevel.Warning, "asynchronous runs still executing at the end of shutdown", ("runs_in_flight", active.Running));
        }
        // Queued rows of a shared store stay queued for the other replicas.
        if (active.Queued > 0 && !store.IsShared)
        {
            try
            {
                await store.Repository.MarkInterruptedAsync(null, InterruptedAtShutdown, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _log.Fields(LogLevel.Error, "could not mark queued runs interrupted", ("error", ex.Message));
            }
        }
        _metrics?.Dispose();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _stop.Dispose();
        _metrics?.Dispose();
    }
}
