using System.Threading.Channels;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Writes finished synchronous runs to the store off the request path: runs hand a deferred record to a bounded
/// queue (never waiting: when it is full the record is dropped and counted in <c>workflow_history_dropped_total</c>),
/// and one background loop turns records into rows and stores them in batches with
/// <see cref="IExecutionRepository.SaveCompletedAsync"/>. On shutdown the queue is drained.
/// The queue is bounded in bytes as well as in records: a queued run keeps its payload and node results alive until
/// its record is built, so at most <c>HISTORY_QUEUE_LENGTH × HISTORY_MAX_RESULT_BYTES</c> of them wait (64 MiB by
/// default); past that, records are dropped and counted like a full queue.
/// </summary>
public sealed class HistoryWriter : BackgroundService
{
    /// <summary>Most records stored in one transaction.</summary>
    public const int BatchSize = 256;

    /// <summary>
    /// How long the writer lets records gather after the first one arrives before it writes them. A transaction's
    /// commit (SQLite writes each changed page to its log) costs far more than a row, so a steady stream of runs is
    /// stored in a few large transactions instead of one small one per run (docs/performance.md); a record is
    /// stored at most about this much later than it would otherwise be.
    /// </summary>
    public static readonly TimeSpan BatchLinger = TimeSpan.FromMilliseconds(25);

    private readonly Channel<(Func<CompletedExecution> Build, long Bytes)> _queue;
    private readonly long _byteBudget;
    private long _pendingBytes;
    private readonly IExecutionRepository _repository;
    private readonly ILogger _log;

    public HistoryWriter(ServerSettings settings, ExecutionStore store, ILoggerFactory loggers)
    {
        _repository = store.Repository;
        _log = loggers.CreateLogger("Thaiyyal.Server");
        _byteBudget = (long)settings.Executions.HistoryQueueLength * settings.Executions.MaxResultBytes;
        _queue = Channel.CreateBounded<(Func<CompletedExecution>, long)>(new BoundedChannelOptions(settings.Executions.HistoryQueueLength)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Records waiting to be written.</summary>
    public int Pending => _queue.Reader.Count;

    /// <summary>Bytes of payloads and results the queued records keep alive.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>
    /// Queues a record built later by <paramref name="build"/>, which keeps <paramref name="retainedBytes"/> alive until
    /// then; false (and counted) when the queue is full in records or in bytes. A run larger than the whole byte budget
    /// is still taken when nothing else waits, so one big run is recorded rather than always dropped.
    /// </summary>
    public bool TryEnqueue(Func<CompletedExecution> build, long retainedBytes = 0)
    {
        var pending = Interlocked.Add(ref _pendingBytes, retainedBytes);
        if ((pending <= _byteBudget || pending == retainedBytes) && _queue.Writer.TryWrite((build, retainedBytes))) return true;
        Interlocked.Add(ref _pendingBytes, -retainedBytes);
        ExecutionMetrics.RecordDropped();
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_repository is null) return;
        var batch = new List<CompletedExecution>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                if (_queue.Reader.Count < BatchSize) await Task.Delay(BatchLinger, stoppingToken);
                await WriteAvailableAsync(batch, CancellationToken.None);
            }
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
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
            {
                try
                {
                    batch.Add(item.Build());
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ExecutionMetrics.RecordWriteError();
                    _log.Fields(LogLevel.Error, "execution record could not be built", ("error", ex.Message));
                }
                finally
                {
                    // The built record holds only capped JSON: the run's own values may go.
                    Interlocked.Add(ref _pendingBytes, -item.Bytes);
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
