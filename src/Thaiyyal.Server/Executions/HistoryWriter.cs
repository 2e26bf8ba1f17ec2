using System.Threading.Channels;
using Thaiyyal.Server.Storage;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Writes finished synchronous runs to the store off the request path: runs hand a deferred record to a bounded
/// queue (never waiting: when it is full the record is dropped and counted in <c>workflow_history_dropped_total</c>),
/// and one background loop turns records into rows and stores them in batches with
/// <see cref="IExecutionRepository.SaveCompletedAsync"/>, keeping a batch and trying it again while the store is
/// unavailable. On shutdown the queue is drained.
/// The queue is bounded in bytes as well as in records: a queued run keeps its payload and node results alive until
/// its record is built, so at most <see cref="ByteBudgetRecords"/> × <c>HISTORY_MAX_RESULT_BYTES</c> of them wait
/// (64 MiB by default); past that, records are dropped and counted like a full queue.
/// </summary>
public sealed class HistoryWriter : BackgroundService
{
    /// <summary>
    /// Most records stored in one transaction; as soon as this many wait, the writer stores them without lingering.
    /// Each transaction costs the store a fixed amount besides its rows (SQLite writes the pages it changed to its log
    /// again; a batch's rows are compressed together), so under load the writer keeps its transactions large:
    /// batches of up to 1,024 cost the synchronous execute route 2.5–5 % less CPU per request than batches of 256
    /// (docs/performance.md).
    /// </summary>
    public const int BatchSize = 1024;

    /// <summary>
    /// How long the writer lets records gather after the first one arrives before it writes them, unless
    /// <see cref="BatchSize"/> are waiting before that. A transaction's commit costs far more than a row, so a steady
    /// stream of runs is stored in a few large transactions instead of one small one per run (docs/performance.md); a
    /// record is stored at most about this much later than it would otherwise be.
    /// </summary>
    public static readonly TimeSpan BatchLinger = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The queue's byte budget is this many records' worth of <c>HISTORY_MAX_RESULT_BYTES</c> (or
    /// <c>HISTORY_QUEUE_LENGTH</c>'s, when that is smaller): a longer queue, which rides out a longer outage of the
    /// store, holds more small runs, not more memory.
    /// </summary>
    public const int ByteBudgetRecords = 1024;

    private readonly Channel<(Func<CompletedExecution> Build, long Bytes)> _queue;
    private readonly long _byteBudget;
    private long _pendingBytes;
    private readonly IExecutionRepository _repository;
    private readonly IThaiyyalStore _store;
    private readonly ILogger _log;
    private readonly HistoryRetention _retention;
    private bool _failing;
    // Records in the queue, counted to end the linger as soon as a whole batch waits (the channel's own count locks).
    // The event is never disposed: it holds no handle unless its WaitHandle is asked for, and a run ending during
    // shutdown may still set it.
    private int _queued;
    private readonly ManualResetEventSlim _batchReady = new(false);

    public HistoryWriter(ServerSettings settings, ExecutionStore store, IThaiyyalStore wholeStore, HistoryRetention retention, ILoggerFactory loggers)
    {
        _retention = retention;
        _repository = store.Repository;
        _store = wholeStore;
        _log = loggers.CreateLogger("Thaiyyal.Server");
        _byteBudget = (long)Math.Min(settings.Executions.HistoryQueueLength, ByteBudgetRecords) * settings.Executions.MaxResultBytes;
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
        if ((pending <= _byteBudget || pending == retainedBytes) && _queue.Writer.TryWrite((build, retainedBytes)))
        {
            if (Interlocked.Increment(ref _queued) == BatchSize) _batchReady.Set();
            return true;
        }
        Interlocked.Add(ref _pendingBytes, -retainedBytes);
        ExecutionMetrics.RecordDropped();
        return false;
    }

    /// <summary>The writer runs on a thread of its own (<see cref="OwnThread"/>): its batches and retry waits block.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => OwnThread.Run(() => Write(stoppingToken));

    private void Write(CancellationToken stoppingToken)
    {
        var batch = new List<CompletedExecution>(BatchSize);
        try
        {
            while (_queue.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                // A batch that fills while the writer waits ends the wait (Set comes after the count passes BatchSize,
                // so a count read after Reset that is still short means the Set is yet to come). Records that arrive
                // while a batch is stored linger in turn: storing them at once would follow each large batch with a
                // train of small ones, each costing a whole transaction (docs/performance.md).
                _batchReady.Reset();
                if (Volatile.Read(ref _queued) < BatchSize) _batchReady.Wait(BatchLinger, stoppingToken);
                batch.Clear();
                TopUp(batch);
                if (batch.Count > 0) Store(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: store what is already queued, then stop.
        }
        _queue.Writer.TryComplete();
        WriteAvailable(batch, stoppingToken);
    }

    /// <summary>Stores everything queued, batch after batch (at shutdown).</summary>
    private void WriteAvailable(List<CompletedExecution> batch, CancellationToken stoppingToken)
    {
        while (true)
        {
            batch.Clear();
            TopUp(batch);
            if (batch.Count == 0) return;
            Store(batch, stoppingToken);
        }
    }

    /// <summary>Builds queued records into <paramref name="batch"/> until it holds <see cref="BatchSize"/> or the queue is empty.</summary>
    private void TopUp(List<CompletedExecution> batch)
    {
        while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
        {
            Interlocked.Decrement(ref _queued);
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
    }

    /// <summary>
    /// Stores one batch. While the store refuses it the batch is kept and tried again as <see cref="StoreRetry"/> says
    /// (new records join it up to <see cref="BatchSize"/> or wait in the queue meanwhile, and are dropped and counted
    /// once that is full), so an outage loses only what does not fit. From attempt <see cref="StoreRetry.AskStoreFrom"/>
    /// on, or at once when the database refused the batch's data, the records are tried one at a time; those refused
    /// for themselves (<see cref="StoreRetry.RefusedForItself"/>) are logged and dropped instead of holding up the
    /// history for good; those kept are tried again with the records queued meanwhile, so they hold up the history
    /// only while nothing can be stored. On shutdown a batch that still cannot be stored is given up.
    /// </summary>
    private void Store(List<CompletedExecution> batch, CancellationToken stoppingToken)
    {
        var wait = StoreRetry.FirstWait;
        var oneByOne = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var records = batch.Count;
                if (!oneByOne && attempt < StoreRetry.AskStoreFrom) SaveAll(batch);
                else if (SaveOneByOne(batch) is { } refusal) throw refusal;
                if (_failing) _log.Fields(LogLevel.Information, "execution history writes work again", ("records", records));
                _failing = false;
                return;
            }
            catch (StorageException ex)
            {
                ExecutionMetrics.RecordWriteError();
                // A row whose data the database refuses fails its whole batch: the others are stored one at a time, now.
                if (ex.Fault == StorageFault.DataRefused && !oneByOne)
                {
                    oneByOne = true;
                    continue;
                }
                if (!_failing)
                    _log.Fields(LogLevel.Warning, "execution history write failed; retrying", ("error", ex.Message), ("records", batch.Count));
                _failing = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ExecutionMetrics.RecordWriteError();
                _log.Fields(LogLevel.Error, "execution history write failed; the records are lost", ("error", ex.Message), ("records", batch.Count));
                return;
            }
            if (stoppingToken.IsCancellationRequested)
            {
                _log.Fields(LogLevel.Error, "execution history write failed at shutdown; the records are lost", ("records", batch.Count));
                return;
            }
            stoppingToken.WaitHandle.WaitOne(wait);
            wait = StoreRetry.After(wait);
            // Records kept from a partly stored batch (refused because the disk was full, say) do not hold up the runs
            // recorded since: they join the next attempt.
            if (batch.Count < BatchSize && !stoppingToken.IsCancellationRequested) TopUp(batch);
        }
    }

    private void SaveAll(List<CompletedExecution> batch)
    {
        _repository.SaveCompletedAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
        Written(batch.Count);
    }

    /// <summary>Counts stored records, and tells retention, which comes early when the history grows fast.</summary>
    private void Written(int records)
    {
        ExecutionMetrics.RecordWritten(records);
        _retention.Recorded(records);
    }

    /// <summary>
    /// Saves the records one at a time and leaves in <paramref name="batch"/> only those to try again. A refused record is
    /// given up (logged and counted) when the refusal is its own: the database refused its data, or the answer does not
    /// say and other records were stored or the store is healthy (<see cref="StoreRetry.RefusedForItself"/>). Returns the
    /// last refusal of a record kept, or null when none is kept. Kept records go to the end of the batch, so one that
    /// cannot be stored yet (too big for the room left on the disk, say) is not always the first tried.
    /// </summary>
    private StorageException? SaveOneByOne(List<CompletedExecution> batch)
    {
        var refused = new List<(CompletedExecution Record, StorageException Refusal)>();
        var stored = 0;
        var tried = 0;
        while (tried < batch.Count)
        {
            var completed = batch[tried++];
            try
            {
                _repository.SaveCompletedAsync([completed], CancellationToken.None).GetAwaiter().GetResult();
                Written(1);
                stored++;
            }
            catch (StorageException ex)
            {
                refused.Add((completed, ex));
                // The database itself failed and nothing was stored: the others would fail the same way (and each failure
                // would be logged). They wait untried for the next attempt, which starts with them.
                if (stored == 0 && ex.Fault == StorageFault.Unavailable) break;
            }
        }
        batch.RemoveRange(0, tried);
        StorageException? kept = null;
        bool? healthy = null;
        foreach (var (completed, refusal) in refused)
        {
            if (!(StoreRetry.RefusedForItself(refusal) ?? (stored > 0 || (healthy ??= StoreRetry.StoreHealthyAsync(_store).GetAwaiter().GetResult()))))
            {
                batch.Add(completed);
                kept = refusal;
                continue;
            }
            ExecutionMetrics.RecordWriteError();
            _log.Fields(LogLevel.Error, "execution record refused by the store; it is lost",
                ("execution_id", completed.Execution.Id), ("error", refusal.Message));
        }
        return kept;
    }
}
