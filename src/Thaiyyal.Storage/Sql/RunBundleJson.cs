using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Thaiyyal.Storage.Sql;

/// <summary>
/// The <c>nodes_json</c>/<c>events_json</c> columns of a finished run (migration 4): its node runs and events as one
/// JSON array each. Times are microseconds like every other time column. A result or event data text that is one
/// JSON value without surrounding white space is embedded as it is (<c>result_json</c>, <c>data_json</c>): escaping
/// it into a JSON string and unescaping it again cost the history writer more than the rest of the row
/// (docs/performance.md); any other text, and every text written before, is a JSON string (<c>result</c>,
/// <c>data</c>). Either way the exact text comes back. The execution id is the row's own.
/// One instance serves one batch on one thread and reuses its buffers.
/// </summary>
internal sealed class RunBundleJson : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Stored, never served as HTML: plain escaping keeps the texts short.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter? _writer;

    public string? Nodes(IReadOnlyList<NodeRunRecord> nodes, string executionId) =>
        WriteArray(nodes, executionId, static n => n.ExecutionId, static (w, n) =>
        {
            w.WriteString("node_id", n.NodeId);
            w.WriteString("node_type", n.NodeType);
            if (n.ScopeNodeId is not null) w.WriteString("scope_node_id", n.ScopeNodeId);
            if (n.Iteration is { } iteration) w.WriteNumber("iteration", iteration);
            w.WriteString("status", n.Status);
            w.WriteNumber("started_at", Micros.From(n.StartedAt));
            if (n.DurationMs is { } duration) w.WriteNumber("duration_ms", duration);
            if (n.ResultJson is not null) WriteText(w, ResultName, ResultRawName, n.ResultJson, n.ResultIsJson);
            if (n.ResultTruncated) w.WriteBoolean("result_truncated", true);
            if (n.Error is not null) w.WriteString("error", n.Error);
            if (n.StartSequence != 0) w.WriteNumber("start_sequence", n.StartSequence);
            if (n.EndSequence != 0) w.WriteNumber("end_sequence", n.EndSequence);
            if (n.EndedAt is { } ended) w.WriteNumber("ended_at", Micros.From(ended));
        });

    public string? Events(IReadOnlyList<ExecutionEventRecord> events, string executionId) =>
        WriteArray(events, executionId, static e => e.ExecutionId, static (w, e) =>
        {
            w.WriteNumber("sequence", e.Sequence);
            w.WriteString("type", e.Type);
            w.WriteNumber("timestamp", Micros.From(e.Timestamp));
            WriteText(w, DataName, DataRawName, e.DataJson);
        });

    private static readonly JsonEncodedText ResultName = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText ResultRawName = JsonEncodedText.Encode("result_json");
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText DataRawName = JsonEncodedText.Encode(DataRawField);

    /// <summary>The field of an event whose value is the event's data as it is (also <see cref="RunEventsEncoder"/>'s).</summary>
    public const string DataRawField = "data_json";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [ThreadStatic]
    private static byte[]? t_text;

    /// <summary>
    /// <paramref name="text"/> as the raw value of <c>{name}_json</c> when it is exactly one JSON value (so that the
    /// reader's raw text of it is the same text), otherwise as the JSON string <c>{name}</c>. A text the caller
    /// <paramref name="knownJson"/> to be one such value is not read through again to check.
    /// </summary>
    private static void WriteText(Utf8JsonWriter w, JsonEncodedText name, JsonEncodedText rawName, string text, bool knownJson = false)
    {
        if (text.Length > 0 && !char.IsWhiteSpace(text[0]) && !char.IsWhiteSpace(text[^1]))
        {
            var bytes = t_text is { } kept && kept.Length >= text.Length * 3 ? kept : null;
            bytes ??= t_text = new byte[Math.Max(1024, text.Length * 3)];
            int length;
            try
            {
                length = StrictUtf8.GetBytes(text, bytes);
            }
            catch (EncoderFallbackException)
            {
                length = -1;
            }
            if (length > 0 && (knownJson || IsOneJsonValue(bytes.AsSpan(0, length))))
            {
                w.WritePropertyName(rawName);
                w.WriteRawValue(bytes.AsSpan(0, length), skipInputValidation: true);
                if (bytes.Length > 64 * 1024) t_text = null;
                return;
            }
        }
        w.WriteString(name, text);
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

    /// <summary>The text a <see cref="WriteText"/> field holds.</summary>
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

    public void Dispose() => _writer?.Dispose();

    public static List<NodeRunRecord> ReadNodes(string executionId, string json) =>
        ReadArray(json, "nodes_json", n => new NodeRunRecord(
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
