using System.Buffers;
using System.Text;

namespace Thaiyyal.Server.Executions;

/// <summary>How engine events and values become the stored JSON of the execution history and its event stream.</summary>
public static class NodeEventJson
{
    /// <summary>
    /// The 0-based iteration of a node event inside a scope body (for_each element, while_loop round, retry attempt),
    /// null at the top level and in bodies that run once (try_catch, timeout).
    /// </summary>
    public static int? IterationOf(NodeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Iteration;
    }

    /// <summary>
    /// The value as JSON, at most <paramref name="maxBytes"/> bytes: a longer one is replaced by
    /// <c>{"truncated":true,"original_bytes":N,"preview":"…"}</c> whose preview is the start of the JSON text.
    /// </summary>
    public static (string Json, bool Truncated) Capped(Value value, int maxBytes)
    {
        var scratch = Rent();
        try
        {
            ValueJson.Write(scratch.Writer, value);
            scratch.Writer.Flush();
            var written = scratch.Buffer.WrittenSpan;
            if (written.Length <= maxBytes) return (Encoding.UTF8.GetString(written), false);
            var preview = Encoding.UTF8.GetString(written[..maxBytes]).TrimEnd('\uFFFD');
            var originalBytes = written.Length;
            return (Write(w =>
            {
                w.WriteBoolean("truncated", true);
                w.WriteNumber("original_bytes", originalBytes);
                w.WriteString("preview", preview);
            }), true);
        }
        finally
        {
            Return(scratch);
        }
    }

    /// <summary>The data of a <c>run.started</c> event.</summary>
    public static string RunStarted(RunStartedEvent e) => Write(w => RunStartedFields(w, e));

    /// <summary>The fields of <see cref="RunStarted(RunStartedEvent)"/>'s object.</summary>
    public static void RunStartedFields(Utf8JsonWriter w, RunStartedEvent e)
    {
        w.WriteString("execution_id", e.ExecutionId);
        if (e.WorkflowId is not null) w.WriteString("workflow_id", e.WorkflowId);
        w.WriteNumber("node_count", e.NodeCount);
        WriteTime(w, e.Timestamp);
    }

    /// <summary>The data of a node event: node, scope and iteration, time, and the result or error.</summary>
    public static string Node(NodeEvent e, int? iteration, int maxResultBytes) =>
        Write(w => NodeFields(w, e, iteration, maxResultBytes, null));

    /// <summary>The fields of <see cref="Node"/>'s object; a completed node's capped result when the caller has it already.</summary>
    public static void NodeFields(Utf8JsonWriter w, NodeEvent e, int? iteration, int maxResultBytes, (string Json, bool Truncated)? cappedResult)
    {
        switch (e)
        {
            case NodeCompletedEvent completed:
                var (json, truncated) = cappedResult ?? Capped(completed.Result, maxResultBytes);
                NodeFields(w, e.NodeId, e.NodeType, e.ScopeNodeId, iteration, e.Timestamp, completed.Duration.TotalMilliseconds, json, truncated, null);
                break;
            case NodeFailedEvent failed:
                NodeFields(w, e.NodeId, e.NodeType, e.ScopeNodeId, iteration, e.Timestamp, failed.Duration.TotalMilliseconds, null, false, failed.Error);
                break;
            default:
                NodeFields(w, e.NodeId, e.NodeType, e.ScopeNodeId, iteration, e.Timestamp, null, null, false, null);
                break;
        }
    }

    /// <summary>
    /// The fields of a node event's data, from the engine's event or (<see cref="StoredRunEvents"/>) from the node run
    /// stored for it: one format for both. A completed node has a duration and a result, a failed one a duration and
    /// an error, a started or skipped one neither.
    /// </summary>
    public static void NodeFields(Utf8JsonWriter w, string nodeId, string nodeType, string? scopeNodeId, int? iteration,
        DateTimeOffset timestamp, double? durationMs, string? resultJson, bool resultTruncated, string? error)
    {
        w.WriteString("node_id", nodeId);
        w.WriteString("node_type", nodeType);
        if (scopeNodeId is not null) w.WriteString("scope_node_id", scopeNodeId);
        if (iteration is { } i) w.WriteNumber("iteration", i);
        WriteTime(w, timestamp);
        if (durationMs is { } duration) w.WriteNumber("duration_ms", Math.Round(duration, 3));
        if (resultJson is not null)
        {
            w.WritePropertyName("result");
            w.WriteRawValue(resultJson, skipInputValidation: true);
            if (resultTruncated) w.WriteBoolean("result_truncated", true);
        }
        if (error is not null) w.WriteString("error", error);
    }

    /// <summary>
    /// An event's time in its data, to the microsecond: the store keeps every time to the microsecond, so an event
    /// made again from a stored node run reads exactly like the one the live stream sent.
    /// </summary>
    private static void WriteTime(Utf8JsonWriter w, DateTimeOffset time)
    {
        Span<char> text = stackalloc char[ValueJson.MaxTimestampLength];
        w.WriteString("timestamp"u8, text[..ValueJson.FormatTimestamp(new DateTimeOffset(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero), text)]);
    }

    /// <summary>The data of <c>run.completed</c>/<c>run.failed</c>: the final status and the body the run answered.</summary>
    public static string RunFinished(string status, byte[] bodyUtf8) => Write(w => RunFinishedFields(w, status, bodyUtf8));

    /// <summary>The fields of <see cref="RunFinished"/>'s object; <paramref name="bodyUtf8"/> is one JSON value, copied as it is.</summary>
    public static void RunFinishedFields(Utf8JsonWriter w, string status, ReadOnlySpan<byte> bodyUtf8)
    {
        w.WriteString("status", status);
        w.WritePropertyName("body");
        w.WriteRawValue(bodyUtf8, skipInputValidation: true);
    }

    /// <summary>A JSON object whose fields <paramref name="fields"/> writes.</summary>
    public static string Write(Action<Utf8JsonWriter> fields)
    {
        var scratch = Rent();
        try
        {
            scratch.Writer.WriteStartObject();
            fields(scratch.Writer);
            scratch.Writer.WriteEndObject();
            scratch.Writer.Flush();
            return Encoding.UTF8.GetString(scratch.Buffer.WrittenSpan);
        }
        finally
        {
            Return(scratch);
        }
    }

    /// <summary>A JSON text written by <paramref name="write"/> (a whole value).</summary>
    public static string WriteValue(Action<Utf8JsonWriter> write)
    {
        var scratch = Rent();
        try
        {
            write(scratch.Writer);
            scratch.Writer.Flush();
            return Encoding.UTF8.GetString(scratch.Buffer.WrittenSpan);
        }
        finally
        {
            Return(scratch);
        }
    }

    /// <summary>The UTF-8 bytes of a JSON text written by <paramref name="write"/> (a whole value).</summary>
    public static byte[] WriteValueUtf8(Action<Utf8JsonWriter> write)
    {
        var scratch = Rent();
        try
        {
            write(scratch.Writer);
            scratch.Writer.Flush();
            return scratch.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            Return(scratch);
        }
    }

    // The history writer turns every run into a dozen small JSON texts; one buffer and writer per thread, reused,
    // keeps that from allocating a fresh pair each time. A nested use (a node event writing its result) finds the
    // slot empty and gets its own pair.
    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>Buffers that grew past this are not kept for the next use.</summary>
    private const int KeptBufferBytes = 64 * 1024;

    private static Scratch Rent()
    {
        var scratch = t_scratch;
        if (scratch is null) return new Scratch();
        t_scratch = null;
        scratch.Buffer.ResetWrittenCount();
        scratch.Writer.Reset(scratch.Buffer);
        return scratch;
    }

    private static void Return(Scratch scratch)
    {
        if (scratch.Buffer.Capacity <= KeptBufferBytes) t_scratch = scratch;
        else scratch.Writer.Dispose();
    }

    private sealed class Scratch
    {
        public Scratch() => Writer = new Utf8JsonWriter(Buffer, ValueJson.WriterOptions);

        public ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public Utf8JsonWriter Writer { get; }
    }
}
