using System.Threading.Channels;
using Thaiyyal.Server.Configuration;
using Thaiyyal.Server.Logging;
using Thaiyyal.Storage;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Writes finished synchronous runs to the store off the request path: runs hand a deferred record to a bounded
/// queue (never waiting: when it is full the record is dropped and counted in <c>workflow_history_dropped_total</c>),
/// and one background loop turns records into rows and stores them in batches with
/// <see cref="IExecutionRepository.SaveCompletedAsync"/>. On shutdown the queue is drained.
/// </summary>
public sealed class HistoryWriter : BackgroundService
{
    /// <summary>Most records stored in one transaction.</summary>
    public const int BatchSize = 64;

    private readonly Channel<Func<CompletedExecution>> _queue;
    private readonly IExecutionRepository _repository;
    private readonly ILogger _log;

    public HistoryWriter(ServerSettings settings, ExecutionStore store, ILoggerFactory loggers)
    {
        _repository = store.Repository;
        _log = loggers.CreateLogger("Thaiyyal.Server");
        _queue = Channel.CreateBounded<Func<CompletedExecution>>(new BoundedChannelOptions(settings.Executions.HistoryQueueLength)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Records waiting to be written.</summary>
    public int Pending => _queue.Reader.Count;

    /// <summary>Queues a record built later by <paramref name="build"/>; false (and counted) when the queue is full.</summary>
    public bool TryEnqueue(Func<CompletedExecution> build)
    {
        if (_queue.Writer.TryWrite(build)) return true;
        ExecutionMetrics.RecordDropped();
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_repository is null) return;
        var batch = new List<CompletedExecution>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken)) await WriteAvailableAsync(batch, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: store what is already queued, then stop.
        }
        _queue.Writer.TryComplete();
        await WriteAvailableAsync(batch, CancellationToken.None);
    }

    private async Task WriteAvailableAsync(List<CompletedExecution> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var build))
            {
                try
                {
                    batch.Add(build());
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ExecutionMetrics.RecordWriteError();
                    _log.Fields(LogLevel.Error, "execution record could not be built", ("error", ex.Message));
                }
            }
            if (batch.Count == 0) return;
            try
            {
                await _repository!.SaveCompletedAsync(batch, cancellationToken);
                ExecutionMetrics.RecordWritten(batch.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ExecutionMetrics.RecordWriteError();
                _log.Fields(LogLevel.Error, "execution history write failed; the records are lost",
                    ("error", ex.Message), ("records", batch.Count));
            }
        }
    }
}
