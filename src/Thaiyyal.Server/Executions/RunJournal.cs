using System.Text;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Collects one run's engine events for the execution history. Deferred (synchronous runs): the hot path only
/// keeps the engine's immutable event records; JSON is produced later by the history writer. Live (asynchronous
/// runs): each event becomes an <see cref="ExecutionEventRecord"/> at once and goes to <paramref name="publish"/>
/// (in sequence order). Nodes in scope bodies are recorded for the first <see cref="ExecutionSettings.MaxIterations"/>
/// iterations of each scope; later ones are counted in <see cref="OmittedNodeEvents"/>.
/// </summary>
public sealed class RunJournal(string executionId, ExecutionSettings settings, Action<ExecutionEventRecord>? publish = null) : ExecutionObserver
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    // Only when needed: a journal that publishes nothing keeps no live events, and most runs have no scope body.
    private readonly List<ExecutionEventRecord>? _events = publish is null ? null : [];
    private Dictionary<(string Scope, string Node), (int Starts, int Ends)>? _ordinals;
    private long _sequence;
    private int _persisted;

    public string ExecutionId => executionId;

    /// <summary>Events of scope body nodes beyond the iteration cap.</summary>
    public int OmittedNodeEvents { get; private set; }

    public override void OnRunStarted(RunStartedEvent e)
    {
        lock (_lock)
        {
            // Each node starts (or is skipped) and ends once outside scope bodies, and the run ends: room for that at once.
            _entries.EnsureCapacity(2 * e.NodeCount + 2);
            AddLocked(new Entry(e, null));
        }
    }

    public override void OnNodeStarted(NodeStartedEvent e) => AddNode(e, starts: true);

    public override void OnNodeCompleted(NodeCompletedEvent e) => AddNode(e, starts: false);

    public override void OnNodeFailed(NodeFailedEvent e) => AddNode(e, starts: false);

    public override void OnNodeSkipped(NodeSkippedEvent e) => AddNode(e, starts: true);

    /// <summary>Adds the terminal <c>run.completed</c>/<c>run.failed</c> event, at <paramref name="endedAt"/> (now when not given).</summary>
    public void Finish(ExecutionStatus status, string bodyJson, DateTimeOffset? endedAt = null) =>
        Finish(status, Encoding.UTF8.GetBytes(bodyJson), endedAt);

    /// <summary><see cref="Finish(ExecutionStatus, string, DateTimeOffset?)"/> with the body as UTF-8 JSON (kept, not copied).</summary>
    /// <param name="status">How the run ended.</param>
    /// <param name="bodyUtf8">The body the run answered.</param>
    /// <param name="endedAt">When it ended (now when not given).</param>
    /// <param name="storedBodyUtf8">
    /// What the stored end event keeps instead of the body, when that differs (<see cref="StoredAnswer"/>): live
    /// subscribers get the whole body, the record keeps this one.
    /// </param>
    public void Finish(ExecutionStatus status, byte[] bodyUtf8, DateTimeOffset? endedAt = null, byte[]? storedBodyUtf8 = null) =>
        Add(new Entry(new RunFinished(status, bodyUtf8, endedAt ?? DateTimeOffset.UtcNow) { StoredBody = storedBodyUtf8 }, null));

    private void AddNode(NodeEvent e, bool starts)
    {
        var iteration = NodeEventJson.IterationOf(e);
        lock (_lock)
        {
            if (e.ScopeNodeId is { } scope)
            {
                // Without an iteration from the engine, the n-th start (end) of a node in a scope is its n-th iteration.
                var key = (scope, e.NodeId);
                _ordinals ??= [];
                _ordinals.TryGetValue(key, out var seen);
                var ordinal = iteration ?? (starts ? seen.Starts : seen.Ends);
                _ordinals[key] = starts ? seen with { Starts = seen.Starts + 1 } : seen with { Ends = seen.Ends + 1 };
                if (ordinal >= settings.MaxIterations)
                {
                    OmittedNodeEvents++;
                    return;
                }
            }
            AddLocked(new Entry(e, iteration));
        }
    }

    private void Add(Entry entry)
    {
        lock (_lock) AddLocked(entry);
    }

    private void AddLocked(Entry entry)
    {
        _entries.Add(entry);
        if (publish is null) return;
        var record = ToEvent(entry, ++_sequence);
        _events!.Add(entry.Event is RunFinished { StoredBody: { } stored } finished
            ? record with { DataJson = NodeEventJson.RunFinished(ExecutionStatusText.Of(finished.Status), stored) }
            : record);
        publish(record);
    }

    /// <summary>Live events not yet handed to <see cref="MarkPersisted"/>, in order.</summary>
    public IReadOnlyList<ExecutionEventRecord> UnpersistedEvents()
    {
        lock (_lock) return _events is null || _events.Count == _persisted ? [] : _events.GetRange(_persisted, _events.Count - _persisted);
    }

    /// <summary>The first <paramref name="count"/> unpersisted events are stored.</summary>
    public void MarkPersisted(int count)
    {
        lock (_lock) _persisted += count;
    }

    /// <summary>
    /// The stored form of the run: its node runs (in start order; nodes that started and never reported are
    /// <c>unfinished</c>) and, for a live journal, the events not persisted yet. A deferred journal stores only the
    /// run's own events (<c>run.started</c> and the end); its node events are kept in their node runs' sequence
    /// numbers and end times, and <see cref="StoredRunEvents"/> makes them again when they are read: half the bytes
    /// per run, which is most of what recording costs (docs/performance.md). A run stored many to a row
    /// (<see cref="CompletedExecution.StoredInBatch"/>) keeps its <c>run.started</c> as the event's fields
    /// (<see cref="ExecutionRecord.RunStart"/>), made again in the same way, and its end as the answer alone
    /// (<see cref="CompletedExecution.RunEnd"/>), from which the store makes the event again.
    /// </summary>
    /// <param name="execution">The run's record.</param>
    /// <param name="answer">
    /// The run's result when the stored end event's body is the whole answer written from it: a
    /// top-level node run whose result is that answer's node result then keeps no copy of it
    /// (<see cref="NodeRunRecord.ResultInAnswer"/>; <see cref="StoredNodeRuns"/> reads it from the body). A
    /// pipeline's node results were otherwise written and stored twice per run (docs/performance.md).
    /// </param>
    public CompletedExecution Build(ExecutionRecord execution, ExecutionResult? answer = null)
    {
        if (publish is not null)
        {
            List<Entry> copy;
            lock (_lock) copy = [.. _entries];
            var gathered = new List<NodeRunFields>(copy.Count / 2 + 1);
            GatherNodeRuns(copy, withSequences: false, answer, gathered);
            return new CompletedExecution(execution, Records(gathered), UnpersistedEvents());
        }
        // Deferred: the run has ended, so nothing is added any more and its entries are read where they are (the lock
        // only orders this read after the adds).
        lock (_lock) return BuildDeferred(_entries, execution, answer);
    }

    /// <summary>
    /// The run's own <c>run.started</c> as the fields a record stored many to a row keeps
    /// (<see cref="ExecutionRecord.RunStart"/>), or null when this journal has none for its run. A record given them when
    /// it is made is not copied again by <see cref="Build"/>.
    /// </summary>
    public RunStart? RunStartFields()
    {
        lock (_lock)
        {
            for (var i = 0; i < _entries.Count; i++)
                if (_entries[i].Event is RunStartedEvent started && started.ExecutionId == executionId)
                    return StartFields(i, started);
        }
        return null;
    }

    /// <summary>The fields a <c>run.started</c> at entry <paramref name="index"/> is kept as (its sequence is its position).</summary>
    private static RunStart StartFields(int index, RunStartedEvent started) =>
        new(index + 1, started.Timestamp, started.NodeCount, started.WorkflowId);

    /// <summary>
    /// A deferred journal's stored form: the node runs and the run's own events go straight into their stored forms,
    /// the events written as the live stream would write them.
    /// </summary>
    private CompletedExecution BuildDeferred(List<Entry> entries, ExecutionRecord execution, ExecutionResult? answer)
    {
        var rows = t_rows ??= [];
        var nodes = t_nodes ??= new NodeRunsEncoder();
        nodes.Start();
        try
        {
            GatherNodeRuns(entries, withSequences: true, answer, rows);
            foreach (var row in rows) nodes.Add(row);
        }
        finally
        {
            // The rows refer to the run's strings: the next run starts afresh, even after a failure here (and a huge
            // run's list is not kept).
            rows.Clear();
            if (rows.Capacity > 1024) t_rows = null;
        }
        // A run stored many to a row keeps its run.started as the event's fields, which StoredRunEvents makes it again from
        // (with the record's id: an engine run under another id keeps its event), and its end as the answer, which the
        // store makes the event again from (when the event is the one the record implies: at its end, with its status).
        var asFields = CompletedExecution.StoredInBatch(execution);
        RunStart? start = null;
        RunEnd? end = null;
        var encoder = t_encoder ??= new RunEventsEncoder(ValueJson.WriterOptions);
        encoder.Start();
        for (var i = 0; i < entries.Count; i++)
        {
            switch (entries[i].Event)
            {
                case NodeEvent:
                    continue;
                case RunStartedEvent started when asFields && started.ExecutionId == execution.Id:
                    start = StartFields(i, started);
                    break;
                case RunFinished finished when asFields && end is null && finished.Status == execution.Status && finished.Timestamp == execution.EndedAt:
                    end = new RunEnd(i + 1, finished.StoredBody ?? finished.Body);
                    break;
                default:
                    Encode(encoder, entries[i], i + 1);
                    break;
            }
        }
        // The record keeps exactly the fields of the event not encoded; one made with them already (RunStartFields) is not copied.
        if (execution.RunStart != start) execution = execution with { RunStart = start };
        return new CompletedExecution(execution, [], []) { EncodedEvents = encoder.Finish(), EncodedNodes = nodes.Finish(), RunEnd = end };
    }

    [ThreadStatic]
    private static List<NodeRunFields>? t_rows;

    [ThreadStatic]
    private static NodeRunsEncoder? t_nodes;

    [ThreadStatic]
    private static RunEventsEncoder? t_encoder;

    /// <summary>The stored form of <see cref="ToEvent"/>'s event of the run itself: the same type, time and data.</summary>
    private static void Encode(RunEventsEncoder encoder, Entry entry, long sequence)
    {
        switch (entry.Event)
        {
            case RunStartedEvent e:
                encoder.Add(sequence, "run.started", e.Timestamp, e, NodeEventJson.RunStartedFields);
                break;
            case RunFinished e:
                encoder.Add(sequence, FinishedType(e.Status), e.Timestamp, e,
                    static (w, f) => NodeEventJson.RunFinishedFields(w, ExecutionStatusText.Of(f.Status), f.StoredBody ?? f.Body));
                break;
            default:
                throw new InvalidOperationException("unknown journal entry " + entry.Event.GetType().Name);
        }
    }

    private static string NodeEventType(NodeEvent e) => e switch
    {
        NodeStartedEvent => "node.started",
        NodeCompletedEvent => "node.completed",
        NodeFailedEvent => "node.failed",
        NodeSkippedEvent => "node.skipped",
        _ => throw new InvalidOperationException("unknown node event " + e.GetType().Name),
    };

    private static string FinishedType(ExecutionStatus status) => status == ExecutionStatus.Succeeded ? "run.completed" : "run.failed";

    /// <summary>
    /// Gathers the node runs into <paramref name="rows"/> in start order. With <paramref name="withSequences"/> each
    /// keeps the sequence numbers (the entry's position) and the end time of its events, from which
    /// <see cref="StoredRunEvents"/> makes them again. Each row is gathered in place.
    /// </summary>
    private void GatherNodeRuns(List<Entry> entries, bool withSequences, ExecutionResult? answer, List<NodeRunFields> rows)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var (e, iteration) = entries[i];
            if (e is not NodeEvent node) continue;
            var sequence = withSequences ? i + 1 : 0;
            switch (node)
            {
                case NodeStartedEvent:
                    rows.Add(Opened(node, iteration, Unfinished, sequence));
                    break;
                case NodeSkippedEvent:
                    rows.Add(Opened(node, iteration, Skipped, sequence));
                    break;
                case NodeCompletedEvent completed:
                    if (node.ScopeNodeId is null && answer is not null && answer.NodeResults.TryGetValue(node.NodeId, out var answered)
                        && WritesAlike(answered, completed.Result))
                    {
                        Close(rows, node, iteration, completed.Duration, Completed, null, false, null, sequence, withSequences, inAnswer: true);
                        break;
                    }
                    var (json, truncated) = NodeEventJson.Capped(completed.Result, settings.MaxResultBytes);
                    Close(rows, node, iteration, completed.Duration, Completed, json, truncated, null, sequence, withSequences);
                    break;
                case NodeFailedEvent failed:
                    Close(rows, node, iteration, failed.Duration, Failed, null, false, failed.Error, sequence, withSequences);
                    break;
            }
        }
    }

    private static NodeRunFields Opened(NodeEvent node, int? iteration, string status, long sequence) =>
        new(node.NodeId, node.NodeType, status, node.Timestamp) { ScopeNodeId = node.ScopeNodeId, Iteration = iteration, StartSequence = sequence };

    private List<NodeRunRecord> Records(List<NodeRunFields> rows)
    {
        var records = new List<NodeRunRecord>(rows.Count);
        foreach (var row in rows)
        {
            records.Add(new NodeRunRecord(executionId, row.NodeId, row.NodeType, row.ScopeNodeId, row.Iteration, row.Status,
                row.StartedAt, row.DurationMs, row.ResultJson, row.ResultTruncated, row.Error)
            {
                StartSequence = row.StartSequence,
                EndSequence = row.EndSequence,
                EndedAt = row.EndedAt,
                ResultIsJson = row.ResultIsJson,
                ResultInAnswer = row.ResultInAnswer,
            });
        }
        return records;
    }

    /// <summary>
    /// Whether two values are written as the same JSON text for certain, without writing them: the same number of the
    /// same kind, the same text, or the very same array, object or other value. Values are immutable, so the answer's
    /// node result and the node's completed event normally hold the same one.
    /// </summary>
    private static bool WritesAlike(Value a, Value b)
    {
        if (a.Kind != b.Kind) return false;
        return a.Kind switch
        {
            ValueKind.Null => true,
            ValueKind.Bool => a.AsBool() == b.AsBool(),
            ValueKind.Number or ValueKind.Integer => BitConverter.DoubleToInt64Bits(a.AsNumber()) == BitConverter.DoubleToInt64Bits(b.AsNumber()),
            ValueKind.String => string.Equals(a.AsString(), b.AsString(), StringComparison.Ordinal),
            ValueKind.Array => ReferenceEquals(a.AsArray(), b.AsArray()),
            ValueKind.Object => ReferenceEquals(a.AsObject(), b.AsObject()),
            ValueKind.Timestamp => a.AsTimestamp().Equals(b.AsTimestamp()) && a.AsTimestamp().Offset == b.AsTimestamp().Offset,
            _ => false,
        };
    }

    private const string Unfinished = "unfinished";
    private const string Skipped = "skipped";
    private const string Completed = "completed";
    private const string Failed = "failed";

    /// <summary>
    /// Ends the row its start opened (keeping the start's time and sequence), or adds a row for an end without a start.
    /// The start is looked for from the newest row back: a node's start is normally among the last few rows (only a
    /// scope node's own end comes after its whole body), and a node is started at most once per scope and iteration.
    /// </summary>
    private static void Close(List<NodeRunFields> rows, NodeEvent node, int? iteration,
        TimeSpan duration, string status, string? result, bool truncated, string? error, long sequence, bool withSequences, bool inAnswer = false)
    {
        var ended = new NodeRunFields(node.NodeId, node.NodeType, status, node.Timestamp - duration)
        {
            ScopeNodeId = node.ScopeNodeId,
            Iteration = iteration,
            ResultInAnswer = inAnswer,
            DurationMs = duration.TotalMilliseconds,
            ResultJson = result,
            // NodeEventJson.Capped writes one JSON value: the value, or the object that stands for a truncated one.
            ResultIsJson = result is not null,
            ResultTruncated = truncated,
            Error = error,
            EndSequence = sequence,
            EndedAt = withSequences ? node.Timestamp : null,
        };
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            var started = rows[i];
            if (!string.Equals(started.Status, Unfinished, StringComparison.Ordinal) || started.Iteration != iteration
                || !string.Equals(started.NodeId, node.NodeId, StringComparison.Ordinal)
                || !string.Equals(started.ScopeNodeId, node.ScopeNodeId, StringComparison.Ordinal)) continue;
            rows[i] = ended with { StartedAt = started.StartedAt, StartSequence = started.StartSequence };
            return;
        }
        rows.Add(ended);
    }

    private ExecutionEventRecord ToEvent(Entry entry, long sequence)
    {
        var (type, data, time) = entry.Event switch
        {
            RunStartedEvent e => ("run.started", NodeEventJson.RunStarted(e), e.Timestamp),
            NodeEvent e => (NodeEventType(e), NodeEventJson.Node(e, entry.Iteration, settings.MaxResultBytes), e.Timestamp),
            RunFinished e => (FinishedType(e.Status), NodeEventJson.RunFinished(ExecutionStatusText.Of(e.Status), e.Body), e.Timestamp),
            _ => throw new InvalidOperationException("unknown journal entry " + entry.Event.GetType().Name),
        };
        return new ExecutionEventRecord(executionId, sequence, type, data, time);
    }

    private readonly record struct Entry(object Event, int? Iteration);

    private sealed record RunFinished(ExecutionStatus Status, byte[] Body, DateTimeOffset Timestamp)
    {
        /// <summary>The body the stored event keeps, when it is not <see cref="Body"/>.</summary>
        public byte[]? StoredBody { get; init; }
    }
}
