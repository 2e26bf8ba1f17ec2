using System.Buffers;
using System.IO.Compression;
using System.Text.Json;

namespace Thaiyyal.Storage.Sql;

/// <summary>What an <c>execution_batches</c> row says of its runs besides <c>runs</c> (migration 8).</summary>
internal readonly record struct BatchHead(
    string FirstId, string LastId, string? WorkflowId, string Status, long CreatedFrom, long CreatedTo, int RunCount);

/// <summary>The bounds of a batch row's runs as they are added: the head's ids, creation times and count.</summary>
internal struct BatchBounds
{
    private string? _firstId, _lastId;
    private long _createdFrom, _createdTo;

    public int Count { get; private set; }

    public void Add(string id, long createdAt)
    {
        if (Count++ == 0)
        {
            (_firstId, _lastId, _createdFrom, _createdTo) = (id, id, createdAt, createdAt);
            return;
        }
        if (string.CompareOrdinal(id, _firstId) < 0) _firstId = id;
        if (string.CompareOrdinal(id, _lastId) > 0) _lastId = id;
        _createdFrom = Math.Min(_createdFrom, createdAt);
        _createdTo = Math.Max(_createdTo, createdAt);
    }

    /// <summary>The head of a row holding the runs added (at least one).</summary>
    public readonly BatchHead Head(string? workflowId, string status) =>
        new(_firstId!, _lastId!, workflowId, status, _createdFrom, _createdTo, Count);
}

/// <summary>Takes one batch row: its head and its <c>runs</c> (compressed), valid only during the call.</summary>
internal delegate void BatchRowSink(in BatchHead head, ReadOnlySpan<byte> runs);

/// <summary>A run read from a batch row: its record, its node runs and events in their column forms, and its end event when kept as fields.</summary>
internal sealed record BatchedRun(ExecutionRecord Record, string? NodesJson, string? EventsJson, ExecutionEventRecord? End);

/// <summary>
/// The <c>runs</c> column of <c>execution_batches</c> (migration 8): a JSON array, Deflate-compressed (its runs
/// repeat each other's names and much of their values, so it shrinks about ninefold; compressing costs about half
/// a microsecond per run, far less than the file writes it saves, docs/performance.md), of runs, each an array of the
/// fields of its <c>executions</c> row in <see cref="RunField"/> order. The node runs and events are the same
/// texts as the row's <c>nodes_json</c>/<c>events_json</c>; the workflow id and status are the row's, shared by
/// every run in it. A final output or error that is one JSON value is embedded as it is, any other text as a JSON
/// string (<see cref="RunField.Flags"/> says which).
/// </summary>
internal sealed partial class RunBundleJson
{
    /// <summary>
    /// A batch row's JSON is closed when it passes this size and the group's next runs go to another
    /// row: both databases take far larger texts, but a row is read whole whenever one of its runs is.
    /// </summary>
    internal const int BatchRowBytes = 1 << 20;

    private enum RunField
    {
        Id, WorkflowVersion, PayloadHash, Mode, Source, CreatedAt, StartedAt, EndedAt, DurationMs, FinalOutput, Error,
        Replica, Restarts, Payload, Nodes, Events, Flags,
        /// <summary>
        /// <see cref="ExecutionRecord.RunStart"/> as <c>[sequence, microseconds, node count, workflow id]</c>, or null
        /// when the run has none but an <see cref="End"/>; rows written before it have no such field.
        /// </summary>
        RunStart,

        /// <summary>
        /// <see cref="CompletedExecution.RunEnd"/> as <c>[sequence, answer]</c> (the answer as the JSON value it is);
        /// absent when the run's end, if any, is among its events, as in rows written before it.
        /// </summary>
        End,
    }

    /// <summary>Flags: the final output is stored as a JSON string holding its text.</summary>
    private const int FinalOutputTextFlag = 1;

    /// <summary>Flags: the error is stored as a JSON string holding its text.</summary>
    private const int ErrorTextFlag = 2;

    private readonly ArrayBufferWriter<byte> _batchBuffer = new(16 * 1024);
    private Utf8JsonWriter? _batchWriter;
    private readonly MemoryStream _compressed = new();

    /// <summary>
    /// Whether a finished run is stored in a batch row rather than a row of its own: a synchronous run whose id is
    /// one the server makes (16 lowercase hex digits that grow with time, so that a row holds a narrow range of
    /// them) and whose row would not be refused for a missing field. Nothing else can already have a row: only
    /// queued (asynchronous) runs are inserted before they end.
    /// </summary>
    public static bool Batchable(ExecutionRecord e)
    {
        return e.Mode == "sync" && ExecutionStatusText.IsFinished(e.Status) && IsServerId(e.Id)
               && e.PayloadHash is not null && e.Source is not null;
    }

    /// <summary>16 lowercase hex digits, the form of the ids the server makes.</summary>
    public static bool IsServerId(string id) => id.Length == 16 && !id.AsSpan().ContainsAnyExcept(LowercaseHex);

    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The smallest id that shares <paramref name="id"/>'s batch key: every run in a batch row has the row's first 8 digits.</summary>
    public static string BatchKeyStart(string id) => string.Concat(id.AsSpan(0, 8), "00000000");

    /// <summary>
    /// Writes <paramref name="runs"/> (each <see cref="Batchable"/>) as batch rows: one per group of runs that share
    /// their ids' first 8 digits, their workflow and their status, in their order, split where a row passes
    /// <see cref="BatchRowBytes"/>.
    /// </summary>
    public void WriteBatches(IReadOnlyList<CompletedExecution> runs, BatchRowSink row)
    {
        var groups = new List<List<CompletedExecution>>();
        foreach (var run in runs)
        {
            var e = run.Execution;
            var group = groups.Find(g =>
            {
                var f = g[0].Execution;
                return f.Status == e.Status && f.WorkflowId == e.WorkflowId && f.Id.AsSpan(0, 8).SequenceEqual(e.Id.AsSpan(0, 8));
            });
            if (group is null) groups.Add([run]);
            else group.Add(run);
        }

        foreach (var group in groups)
        {
            var start = 0;
            while (start < group.Count)
            {
                var w = StartBatch();
                w.WriteStartArray();
                var first = group[start].Execution;
                var bounds = new BatchBounds();
                var end = start;
                while (end < group.Count && (end == start || w.BytesPending + w.BytesCommitted < BatchRowBytes))
                {
                    var run = group[end++];
                    WriteRun(w, run);
                    bounds.Add(run.Execution.Id, Micros.From(run.Execution.CreatedAt));
                }
                w.WriteEndArray();
                w.Flush();
                row(bounds.Head(first.WorkflowId, ExecutionStatusText.Of(first.Status)), Compress(_batchBuffer.WrittenSpan));
                start = end;
            }
        }
    }

    private void WriteRun(Utf8JsonWriter w, CompletedExecution run)
    {
        var e = run.Execution;
        w.WriteStartArray();
        w.WriteStringValue(e.Id);
        WriteNumberOrNull(w, e.WorkflowVersion);
        w.WriteStringValue(e.PayloadHash);
        w.WriteStringValue(e.Mode);
        w.WriteStringValue(e.Source);
        w.WriteNumberValue(Micros.From(e.CreatedAt));
        WriteNumberOrNull(w, Micros.From(e.StartedAt));
        WriteNumberOrNull(w, Micros.From(e.EndedAt));
        WriteMillisecondsOrNull(w, e.DurationMs);
        var flags = WriteJsonText(w, e.FinalOutputJson) ? FinalOutputTextFlag : 0;
        flags |= WriteJsonText(w, e.ErrorJson) ? ErrorTextFlag : 0;
        WriteStringOrNull(w, e.Replica);
        w.WriteNumberValue(e.Restarts);
        WriteStringOrNull(w, e.PayloadJson);
        if ((run.EncodedNodes?.Utf8 ?? NodesUtf8(run.Nodes, e.Id)) is { } nodes) w.WriteRawValue(nodes, skipInputValidation: true);
        else w.WriteNullValue();
        if (run.EncodedEvents?.Utf8 is { } encoded) w.WriteRawValue(encoded, skipInputValidation: true);
        else if (Events(run.Events, e.Id) is { } events) w.WriteRawValue(events, skipInputValidation: true);
        else w.WriteNullValue();
        w.WriteNumberValue(flags);
        if (e.RunStart is { } start)
        {
            w.WriteStartArray();
            w.WriteNumberValue(start.Sequence);
            w.WriteNumberValue(Micros.From(start.Timestamp));
            w.WriteNumberValue(start.NodeCount);
            WriteStringOrNull(w, start.WorkflowId);
            w.WriteEndArray();
        }
        else if (run.RunEnd is not null) w.WriteNullValue();
        if (run.RunEnd is { } end)
        {
            w.WriteStartArray();
            w.WriteNumberValue(end.Sequence);
            w.WriteRawValue(end.Body.Span, skipInputValidation: true);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>Writes a JSON text as it is when it is one JSON value, else as a string; true for the string.</summary>
    private static bool WriteJsonText(Utf8JsonWriter w, string? text)
    {
        if (text is null)
        {
            w.WriteNullValue();
            return false;
        }
        if (text != "null" && IsRawCandidate(text, knownJson: false, out var length))
        {
            WriteKeptRaw(w, length);
            return false;
        }
        w.WriteStringValue(text);
        return true;
    }

    /// <summary>The batch's JSON compressed into this instance's buffer, valid until its next use.</summary>
    private ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> json)
    {
        _compressed.SetLength(0);
        using (var deflate = new DeflateStream(_compressed, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(json);
        return _compressed.GetBuffer().AsSpan(0, (int)_compressed.Length);
    }

    /// <summary>A batch row's <c>runs</c> as the JSON they hold.</summary>
    private static JsonDocument ParseBatch(byte[] runs)
    {
        var json = Inflate(runs);
        try
        {
            var document = JsonDocument.Parse(json.GetBuffer().AsMemory(0, (int)json.Length));
            if (document.RootElement.ValueKind == JsonValueKind.Array) return document;
            document.Dispose();
        }
        catch (JsonException)
        {
            // Reported below.
        }
        throw NotABatch();
    }

    /// <summary>A batch row's <c>runs</c> decompressed.</summary>
    private static MemoryStream Inflate(byte[] runs)
    {
        var json = new MemoryStream(runs.Length * 8);
        try
        {
            using (var inflate = new DeflateStream(new MemoryStream(runs, writable: false), CompressionMode.Decompress)) inflate.CopyTo(json);
            return json;
        }
        catch (InvalidDataException)
        {
            throw NotABatch();
        }
    }

    private static StorageException NotABatch() => new("the runs column of an execution batch is not a compressed JSON array");

    private Utf8JsonWriter StartBatch()
    {
        _batchBuffer.ResetWrittenCount();
        if (_batchWriter is null) _batchWriter = new Utf8JsonWriter(_batchBuffer, WriterOptions);
        else _batchWriter.Reset(_batchBuffer);
        return _batchWriter;
    }

    /// <summary>Every run's record in a batch row, in the row's order.</summary>
    public static List<ExecutionRecord> ReadBatchRecords(byte[] runs, string? workflowId, string status)
    {
        var executionStatus = BatchStatus(status);
        using var document = ParseBatch(runs);
        var records = new List<ExecutionRecord>(document.RootElement.GetArrayLength());
        foreach (var run in document.RootElement.EnumerateArray()) records.Add(ReadBatchedRecord(run, workflowId, executionStatus));
        return records;
    }

    /// <summary>The run <paramref name="id"/> of a batch row, with its node runs and events; null when it is not there.</summary>
    /// <remarks>
    /// The row's runs are read past, not parsed, up to the one asked for, and only that one is parsed: a row holds up to
    /// a megabyte of runs. The last run found is kept with the row's bytes it came from, and given again while the row
    /// read holds the very same bytes: a run's detail reads its row three times (record, node runs, events).
    /// </remarks>
    public static BatchedRun? FindInBatch(byte[] runs, string id, string? workflowId, string status)
    {
        if (Volatile.Read(ref s_lastFound) is { } last && last.Id == id && last.WorkflowId == workflowId && last.Status == status
            && last.Runs.AsSpan().SequenceEqual(runs))
            return last.Run;
        var run = ScanBatch(runs, id, workflowId, status);
        Volatile.Write(ref s_lastFound, new FoundRun(runs, id, workflowId, status, run));
        return run;
    }

    /// <summary>A run looked for in a batch row, and what was found (null: not there).</summary>
    private sealed record FoundRun(byte[] Runs, string Id, string? WorkflowId, string Status, BatchedRun? Run);

    private static FoundRun? s_lastFound;

    private static BatchedRun? ScanBatch(byte[] runs, string id, string? workflowId, string status)
    {
        var json = Inflate(runs);
        try
        {
            var reader = new Utf8JsonReader(json.GetBuffer().AsSpan(0, (int)json.Length));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw NotABatch();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray) throw NotABatch();
                var atRun = reader;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(id))
                {
                    atRun.Skip();
                    reader = atRun;
                    continue;
                }
                using var document = JsonDocument.ParseValue(ref atRun);
                var run = document.RootElement;
                var record = ReadBatchedRecord(run, workflowId, BatchStatus(status));
                return new BatchedRun(record, RawOrNull(run[(int)RunField.Nodes]), RawOrNull(run[(int)RunField.Events]),
                    run.GetArrayLength() > (int)RunField.End ? EndEvent(record, run[(int)RunField.End]) : null);
            }
            return null;
        }
        catch (JsonException)
        {
            throw NotABatch();
        }
    }

    /// <summary>
    /// A batch row's <c>runs</c> without the run <paramref name="id"/>, with the head the rest makes; null when
    /// no run is left (the row goes). The other runs' texts are kept as they are.
    /// </summary>
    public (BatchHead Head, byte[] Runs)? WithoutRun(byte[] runs, string id, string? workflowId, string status)
    {
        using var document = ParseBatch(runs);
        var w = StartBatch();
        w.WriteStartArray();
        var bounds = new BatchBounds();
        foreach (var run in document.RootElement.EnumerateArray())
        {
            var runId = run[(int)RunField.Id].GetString()!;
            if (runId == id) continue;
            w.WriteRawValue(run.GetRawText(), skipInputValidation: true);
            bounds.Add(runId, run[(int)RunField.CreatedAt].GetInt64());
        }
        w.WriteEndArray();
        w.Flush();
        if (bounds.Count == 0) return null;
        return (bounds.Head(workflowId, status), Compress(_batchBuffer.WrittenSpan).ToArray());
    }

    private static ExecutionStatus BatchStatus(string status) => ExecutionStatusText.ParseStored(status, "execution_batches");

    private static ExecutionRecord ReadBatchedRecord(JsonElement run, string? workflowId, ExecutionStatus status)
    {
        if (run.ValueKind != JsonValueKind.Array || run.GetArrayLength() <= (int)RunField.Flags)
            throw new StorageException("a run in the runs column of an execution batch is not an array of its fields");
        JsonElement? Field(RunField field) => run[(int)field].ValueKind == JsonValueKind.Null ? null : run[(int)field];
        var flags = run[(int)RunField.Flags].GetInt32();
        return new ExecutionRecord
        {
            Id = run[(int)RunField.Id].GetString()!,
            WorkflowId = workflowId,
            WorkflowVersion = Field(RunField.WorkflowVersion)?.GetInt32(),
            PayloadHash = run[(int)RunField.PayloadHash].GetString()!,
            PayloadJson = Field(RunField.Payload)?.GetString(),
            Mode = run[(int)RunField.Mode].GetString()!,
            Source = run[(int)RunField.Source].GetString()!,
            Status = status,
            CreatedAt = Micros.To(run[(int)RunField.CreatedAt].GetInt64()),
            StartedAt = Micros.To(Field(RunField.StartedAt)?.GetInt64()),
            EndedAt = Micros.To(Field(RunField.EndedAt)?.GetInt64()),
            DurationMs = Field(RunField.DurationMs)?.GetDouble(),
            FinalOutputJson = JsonText(Field(RunField.FinalOutput), (flags & FinalOutputTextFlag) != 0),
            ErrorJson = JsonText(Field(RunField.Error), (flags & ErrorTextFlag) != 0),
            Replica = Field(RunField.Replica)?.GetString(),
            Restarts = run[(int)RunField.Restarts].GetInt32(),
            RunStart = run.GetArrayLength() > (int)RunField.RunStart && run[(int)RunField.RunStart].ValueKind != JsonValueKind.Null
                ? ReadRunStart(run[(int)RunField.RunStart]) : null,
        };
    }

    private static RunStart ReadRunStart(JsonElement start)
    {
        if (start.ValueKind != JsonValueKind.Array || start.GetArrayLength() != 4)
            throw new StorageException("the run.started fields of a run in an execution batch are not [sequence, time, node count, workflow id]");
        var workflowId = start[3];
        return new RunStart(start[0].GetInt64(), Micros.To(start[1].GetInt64()), start[2].GetInt32(),
            workflowId.ValueKind == JsonValueKind.Null ? null : workflowId.GetString());
    }

    /// <summary>
    /// The end event a run kept as its fields (<see cref="RunField.End"/>), made again as the server wrote it: typed by
    /// the run's status, at the run's end, with <c>{"status": …, "body": the answer}</c> as its data.
    /// </summary>
    private static ExecutionEventRecord EndEvent(ExecutionRecord record, JsonElement end)
    {
        if (end.ValueKind != JsonValueKind.Array || end.GetArrayLength() != 2 || record.EndedAt is not { } ended)
            throw new StorageException("the end event fields of a run in an execution batch are not [sequence, answer] of a run that ended");
        var type = record.Status == ExecutionStatus.Succeeded ? "run.completed" : "run.failed";
        var data = string.Concat("{\"status\":\"", ExecutionStatusText.Of(record.Status), "\",\"body\":", end[1].GetRawText(), "}");
        return new ExecutionEventRecord(record.Id, end[0].GetInt64(), type, data, ended);
    }

    private static string? JsonText(JsonElement? value, bool isText) =>
        value is not { } v ? null : isText ? v.GetString() : v.GetRawText();

    private static string? RawOrNull(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetRawText();
}
