using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Thaiyyal.Storage.Sql;

/// <summary>
/// The <c>nodes_json</c>/<c>events_json</c> columns of a finished run (migration 4): its node runs and events as one
/// JSON array each, the node runs as arrays of their fields (<see cref="NodesUtf8"/>; objects in rows written before),
/// the events as objects. Times are microseconds like every other time column. A result or event data text that is
/// one JSON value without surrounding white space is embedded as it is (<c>data_json</c> for events): escaping
/// it into a JSON string and unescaping it again cost the history writer more than the rest of the row
/// (docs/performance.md); any other text, and every text written before, is a JSON string (<c>data</c>). Either way
/// the exact text comes back. The execution id is the row's own.
/// One instance serves one batch on one thread and reuses its buffers.
/// </summary>
internal sealed partial class RunBundleJson : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Stored, never served as HTML: plain escaping keeps the texts short.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>The options every stored text of this form is written with (also <see cref="NodeRunsEncoder"/>'s).</summary>
    internal static JsonWriterOptions StoredOptions => WriterOptions;

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter? _writer;

    /// <summary>
    /// The node runs in the compact form: <c>[origin, [node run], …]</c>, where <c>origin</c> is the first node run's
    /// start in microseconds and each node run is a positional array (<see cref="NodeField"/>) whose times are
    /// microseconds after <c>origin</c> and whose trailing empty fields are left out. The keys and absolute times of
    /// the object form of before made up three quarters of a small run's node runs and a third of its row
    /// (docs/performance.md). <see cref="ReadNodes"/> reads both forms.
    /// </summary>
    /// <remarks>UTF-8; null when no node run is this execution's. Written by <see cref="NodeRunsEncoder"/>, as a journal's are.</remarks>
    public byte[]? NodesUtf8(IReadOnlyList<NodeRunRecord> nodes, string executionId)
    {
        var encoder = _nodes ??= new NodeRunsEncoder();
        encoder.Start();
        foreach (var n in nodes)
        {
            if (n.ExecutionId != executionId) continue;
            encoder.Add(new NodeRunFields(n.NodeId, n.NodeType, n.Status, n.StartedAt)
            {
                ScopeNodeId = n.ScopeNodeId,
                Iteration = n.Iteration,
                DurationMs = n.DurationMs,
                ResultJson = n.ResultJson,
                ResultIsJson = n.ResultIsJson,
                ResultTruncated = n.ResultTruncated,
                ResultInAnswer = n.ResultInAnswer,
                Error = n.Error,
                StartSequence = n.StartSequence,
                EndSequence = n.EndSequence,
                EndedAt = n.EndedAt,
            });
        }
        return encoder.Finish()?.Utf8;
    }

    private NodeRunsEncoder? _nodes;

    /// <summary>Opens the compact form's array with the origin, the first node run's start; returns it.</summary>
    internal static long StartNodes(Utf8JsonWriter w, in NodeRunFields first)
    {
        var origin = Micros.From(first.StartedAt);
        w.WriteStartArray();
        w.WriteNumberValue(origin);
        return origin;
    }

    /// <summary>One node run of the compact form: its fields in <see cref="NodeField"/> order, trailing empty ones left out.</summary>
    internal static void WriteNode(Utf8JsonWriter w, long origin, in NodeRunFields n)
    {
        var rawLength = 0;
        // The text null is kept as a string: a null field is no result.
        var resultIsText = n.ResultJson is not null && (n.ResultJson == "null" || !IsRawCandidate(n.ResultJson, n.ResultIsJson, out rawLength));
        // The fields in NodeField order; a field is written only when it or a later one is not empty.
        var last = n.Error is not null ? NodeField.Error
            : n.Iteration is not null ? NodeField.Iteration
            : n.ScopeNodeId is not null ? NodeField.Scope
            : n.ResultTruncated || resultIsText || n.ResultInAnswer ? NodeField.Flags
            : n.EndedAt is not null ? NodeField.EndedAt
            : n.EndSequence != 0 ? NodeField.EndSequence
            : n.StartSequence != 0 ? NodeField.StartSequence
            : n.ResultJson is not null ? NodeField.Result
            : n.DurationMs is not null ? NodeField.DurationMs
            : NodeField.StartedAt;
        w.WriteStartArray();
        w.WriteStringValue(n.NodeId);
        w.WriteStringValue(n.NodeType);
        if (StatusCode(n.Status) is { } code) w.WriteNumberValue(code);
        else w.WriteStringValue(n.Status);
        w.WriteNumberValue(Micros.From(n.StartedAt) - origin);
        if (last >= NodeField.DurationMs) WriteMillisecondsOrNull(w, n.DurationMs);
        if (last >= NodeField.Result)
        {
            if (n.ResultJson is null) w.WriteNullValue();
            else if (resultIsText) w.WriteStringValue(n.ResultJson);
            else WriteKeptRaw(w, rawLength);
        }
        if (last >= NodeField.StartSequence) w.WriteNumberValue(n.StartSequence);
        if (last >= NodeField.EndSequence) w.WriteNumberValue(n.EndSequence);
        if (last >= NodeField.EndedAt) WriteNumberOrNull(w, Micros.From(n.EndedAt) - origin);
        if (last >= NodeField.Flags)
            w.WriteNumberValue((n.ResultTruncated ? TruncatedFlag : 0) | (resultIsText ? TextResultFlag : 0) | (n.ResultInAnswer ? InAnswerFlag : 0));
        if (last >= NodeField.Scope) WriteStringOrNull(w, n.ScopeNodeId);
        if (last >= NodeField.Iteration) WriteNumberOrNull(w, n.Iteration);
        if (last >= NodeField.Error) w.WriteStringValue(n.Error);
        w.WriteEndArray();
    }

    /// <summary>The positions of a node run's fields in the compact form of <see cref="NodesUtf8"/>.</summary>
    private enum NodeField
    {
        NodeId, NodeType, Status, StartedAt, DurationMs, Result, StartSequence, EndSequence, EndedAt, Flags, Scope, Iteration, Error,
    }

    /// <summary>Flags: the result was cut to the size cap (the stored result is the marker object).</summary>
    private const int TruncatedFlag = 1;

    /// <summary>Flags: the result is not one JSON value, and is stored as a JSON string holding its text.</summary>
    private const int TextResultFlag = 2;

    /// <summary>Flags: the result is in the run's stored answer (<see cref="NodeRunRecord.ResultInAnswer"/>).</summary>
    private const int InAnswerFlag = 4;

    /// <summary>The node run statuses the compact form stores as numbers; any other is stored as its name.</summary>
    private static readonly string[] Statuses = ["unfinished", "completed", "failed", "skipped"];

    private static int? StatusCode(string status)
    {
        var index = Array.IndexOf(Statuses, status);
        return index < 0 ? null : index;
    }

    private static void WriteMillisecondsOrNull(Utf8JsonWriter w, double? value)
    {
        if (value is { } v) WriteMilliseconds(w, v);
        else w.WriteNullValue();
    }

    /// <summary>
    /// A duration in milliseconds. One that is a whole number of 100 ns ticks (every duration the engine measures) is
    /// written as that decimal, formatted from the integer: the same number, read back as the same double, at a
    /// fraction of the cost of the shortest round-trip form of a double (docs/performance.md). Any other value is
    /// written by the JSON writer.
    /// </summary>
    internal static void WriteMilliseconds(Utf8JsonWriter w, double ms)
    {
        var ticks = Math.Round(ms * TicksPerMillisecond);
        // Below 2^52 ticks the division is exact enough to tell: ticks / 10⁴ gives back the very double.
        if (!(Math.Abs(ticks) < 4e15) || ticks / TicksPerMillisecond != ms || (ms == 0 && double.IsNegative(ms)))
        {
            w.WriteNumberValue(ms);
            return;
        }
        Span<byte> text = stackalloc byte[24];
        var whole = (long)ticks;
        var length = 0;
        if (whole < 0)
        {
            text[length++] = (byte)'-';
            whole = -whole;
        }
        var (integer, fraction) = Math.DivRem(whole, (long)TicksPerMillisecond);
        System.Buffers.Text.Utf8Formatter.TryFormat(integer, text[length..], out var written);
        length += written;
        if (fraction != 0)
        {
            text[length++] = (byte)'.';
            for (var digit = 1000; fraction != 0; digit /= 10)
            {
                var (d, rest) = Math.DivRem(fraction, digit);
                text[length++] = (byte)('0' + d);
                fraction = rest;
            }
        }
        w.WriteRawValue(text[..length], skipInputValidation: true);
    }

    private const double TicksPerMillisecond = TimeSpan.TicksPerMillisecond;

    private static void WriteNumberOrNull(Utf8JsonWriter w, long? value)
    {
        if (value is { } v) w.WriteNumberValue(v);
        else w.WriteNullValue();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, int? value)
    {
        if (value is { } v) w.WriteNumberValue(v);
        else w.WriteNullValue();
    }

    private static void WriteStringOrNull(Utf8JsonWriter w, string? value)
    {
        if (value is null) w.WriteNullValue();
        else w.WriteStringValue(value);
    }

    public string? Events(IReadOnlyList<ExecutionEventRecord> events, string executionId) =>
        WriteArray(events, executionId, static e => e.ExecutionId, static (w, e) =>
        {
            w.WriteNumber("sequence", e.Sequence);
            w.WriteString("type", e.Type);
            w.WriteNumber("timestamp", Micros.From(e.Timestamp));
            WriteData(w, e.DataJson);
        });

    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText DataRawName = JsonEncodedText.Encode(DataRawField);

    /// <summary>The field of an event whose value is the event's data as it is (also <see cref="RunEventsEncoder"/>'s).</summary>
    public const string DataRawField = "data_json";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [ThreadStatic]
    private static byte[]? t_text;

    /// <summary>
    /// An event's data as the raw value of <c>data_json</c> when it is exactly one JSON value (so that the reader's raw
    /// text of it is the same text), otherwise as the JSON string <c>data</c>.
    /// </summary>
    private static void WriteData(Utf8JsonWriter w, string text)
    {
        if (IsRawCandidate(text, knownJson: false, out var length))
        {
            w.WritePropertyName(DataRawName);
            WriteKeptRaw(w, length);
        }
        else w.WriteString(DataName, text);
    }

    /// <summary>
    /// Whether <paramref name="text"/> is one JSON value without white space around it; its UTF-8 form is then the
    /// first <paramref name="length"/> bytes of <see cref="t_text"/>.
    /// </summary>
    internal static bool IsRawCandidate(string text, bool knownJson, out int length)
    {
        length = -1;
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) return false;
        var bytes = t_text is { } kept && kept.Length >= text.Length * 3 ? kept : null;
        bytes ??= t_text = new byte[Math.Max(1024, text.Length * 3)];
        try
        {
            length = StrictUtf8.GetBytes(text, bytes);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
        return length > 0 && (knownJson || IsOneJsonValue(bytes.AsSpan(0, length)));
    }

    internal static void WriteKeptRaw(Utf8JsonWriter w, int length)
    {
        var bytes = t_text!;
        w.WriteRawValue(bytes.AsSpan(0, length), skipInputValidation: true);
        if (bytes.Length > 64 * 1024) t_text = null;
    }

    private static bool IsOneJsonValue(ReadOnlySpan<byte> utf8)
    {
        // The reader refuses a second top-level value, comments and trailing commas by default.
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, state: default);
        try
        {
            while (reader.Read())
            {
            }
            return reader.BytesConsumed == utf8.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The text of a field written as a raw JSON value (<paramref name="rawName"/>) or as a JSON string (<paramref name="name"/>).</summary>
    private static string? ReadText(JsonElement element, string name, string rawName) =>
        element.TryGetProperty(rawName, out var raw) ? raw.GetRawText()
        : element.TryGetProperty(name, out var text) ? text.GetString() : null;

    /// <summary>The records of this execution as an array of objects; null when there are none at all.</summary>
    private string? WriteArray<T>(IReadOnlyList<T> records, string executionId, Func<T, string> executionOf, Action<Utf8JsonWriter, T> writeFields)
    {
        if (records.Count == 0) return null;
        var w = Start();
        w.WriteStartArray();
        foreach (var record in records)
        {
            if (executionOf(record) != executionId) continue;
            w.WriteStartObject();
            writeFields(w, record);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        return Finish(w);
    }

    /// <summary>One instance kept between batches, so that its buffers are not grown again for every batch.</summary>
    private static RunBundleJson? s_kept;

    /// <summary>An instance for one batch on one thread: the kept one when it is free; <see cref="Dispose"/> gives it back.</summary>
    public static RunBundleJson Rent() => Interlocked.Exchange(ref s_kept, null) ?? new RunBundleJson();

    /// <summary>Gives the instance back for the next batch unless its buffers grew past what is worth keeping.</summary>
    public void Dispose()
    {
        if (_buffer.Capacity <= KeptBufferBytes && _batchBuffer.Capacity <= KeptBufferBytes && Interlocked.CompareExchange(ref s_kept, this, null) is null)
            return;
        _writer?.Dispose();
        _batchWriter?.Dispose();
        _nodes?.Dispose();
        _compressed.Dispose();
    }

    private const int KeptBufferBytes = 4 * BatchRowBytes;

    /// <summary>The node runs of a <c>nodes_json</c> column in either form: the compact one or the objects of before.</summary>
    public static List<NodeRunRecord> ReadNodes(string executionId, string json)
    {
        using var document = Parse(json, "nodes_json");
        var root = document.RootElement;
        var records = new List<NodeRunRecord>(root.GetArrayLength());
        if (root.GetArrayLength() > 0 && root[0].ValueKind == JsonValueKind.Number)
        {
            var origin = root[0].GetInt64();
            var index = 0;
            foreach (var n in root.EnumerateArray())
                if (index++ > 0) records.Add(ReadCompactNode(executionId, origin, n));
            return records;
        }
        foreach (var n in root.EnumerateArray())
        {
            records.Add(new NodeRunRecord(
                executionId,
                n.GetProperty("node_id").GetString()!,
                n.GetProperty("node_type").GetString()!,
                n.TryGetProperty("scope_node_id", out var scope) ? scope.GetString() : null,
                n.TryGetProperty("iteration", out var iteration) ? iteration.GetInt32() : null,
                n.GetProperty("status").GetString()!,
                Micros.To(n.GetProperty("started_at").GetInt64()),
                n.TryGetProperty("duration_ms", out var duration) ? duration.GetDouble() : null,
                ReadText(n, "result", "result_json"),
                n.TryGetProperty("result_truncated", out var truncated) && truncated.GetBoolean(),
                n.TryGetProperty("error", out var error) ? error.GetString() : null)
            {
                StartSequence = n.TryGetProperty("start_sequence", out var start) ? start.GetInt64() : 0,
                EndSequence = n.TryGetProperty("end_sequence", out var end) ? end.GetInt64() : 0,
                EndedAt = n.TryGetProperty("ended_at", out var ended) ? Micros.To(ended.GetInt64()) : null,
            });
        }
        return records;
    }

    private static NodeRunRecord ReadCompactNode(string executionId, long origin, JsonElement n)
    {
        if (n.ValueKind != JsonValueKind.Array || n.GetArrayLength() <= (int)NodeField.StartedAt)
            throw new StorageException("a node run in the nodes_json column of an execution is not an array of its fields");
        JsonElement? Field(NodeField field) =>
            n.GetArrayLength() > (int)field && n[(int)field].ValueKind != JsonValueKind.Null ? n[(int)field] : null;
        var flags = Field(NodeField.Flags)?.GetInt32() ?? 0;
        var status = n[(int)NodeField.Status];
        var result = Field(NodeField.Result);
        return new NodeRunRecord(
            executionId,
            n[(int)NodeField.NodeId].GetString()!,
            n[(int)NodeField.NodeType].GetString()!,
            Field(NodeField.Scope)?.GetString(),
            Field(NodeField.Iteration)?.GetInt32(),
            status.ValueKind == JsonValueKind.Number ? Statuses[status.GetInt32()] : status.GetString()!,
            Micros.To(origin + n[(int)NodeField.StartedAt].GetInt64()),
            Field(NodeField.DurationMs)?.GetDouble(),
            result is not { } r ? null : (flags & TextResultFlag) != 0 ? r.GetString() : r.GetRawText(),
            (flags & TruncatedFlag) != 0,
            Field(NodeField.Error)?.GetString())
        {
            StartSequence = Field(NodeField.StartSequence)?.GetInt64() ?? 0,
            EndSequence = Field(NodeField.EndSequence)?.GetInt64() ?? 0,
            EndedAt = Field(NodeField.EndedAt) is { } ended ? Micros.To(origin + ended.GetInt64()) : null,
            ResultInAnswer = (flags & InAnswerFlag) != 0,
        };
    }

    public static List<ExecutionEventRecord> ReadEvents(string executionId, string json) =>
        ReadArray(json, "events_json", e => new ExecutionEventRecord(
            executionId,
            e.GetProperty("sequence").GetInt64(),
            e.GetProperty("type").GetString()!,
            ReadText(e, "data", "data_json") ?? throw new StorageException("an event in the events_json column of an execution has no data"),
            Micros.To(e.GetProperty("timestamp").GetInt64())));

    private static List<T> ReadArray<T>(string json, string column, Func<JsonElement, T> read)
    {
        using var document = Parse(json, column);
        var records = new List<T>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray()) records.Add(read(element));
        return records;
    }

    private static JsonDocument Parse(string json, string column)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Array) return document;
            document.Dispose();
        }
        catch (JsonException)
        {
            // Reported below.
        }
        throw new StorageException($"the {column} column of an execution is not a JSON array");
    }

    private Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        if (_writer is null) _writer = new Utf8JsonWriter(_buffer, WriterOptions);
        else _writer.Reset(_buffer);
        return _writer;
    }

    private string Finish(Utf8JsonWriter w)
    {
        w.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }
}
