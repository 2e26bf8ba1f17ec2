using System.Buffers;
using System.Text;
using System.Text.Json;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Workflows;

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
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ValueJson.WriterOptions)) ValueJson.Write(writer, value);
        if (buffer.WrittenCount <= maxBytes) return (Encoding.UTF8.GetString(buffer.WrittenSpan), false);
        var preview = Encoding.UTF8.GetString(buffer.WrittenSpan[..maxBytes]).TrimEnd('\uFFFD');
        var marker = new ArrayBufferWriter<byte>(maxBytes + 64);
        using (var writer = new Utf8JsonWriter(marker, ValueJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("truncated", true);
            writer.WriteNumber("original_bytes", buffer.WrittenCount);
            writer.WriteString("preview", preview);
            writer.WriteEndObject();
        }
        return (Encoding.UTF8.GetString(marker.WrittenSpan), true);
    }

    /// <summary>The data of a <c>run.started</c> event.</summary>
    public static string RunStarted(RunStartedEvent e) => Write(w =>
    {
        w.WriteString("execution_id", e.ExecutionId);
        if (e.WorkflowId is not null) w.WriteString("workflow_id", e.WorkflowId);
        w.WriteNumber("node_count", e.NodeCount);
        w.WriteString("timestamp", ValueJson.FormatTimestamp(e.Timestamp));
    });

    /// <summary>The data of a node event: node, scope and iteration, time, and the result or error.</summary>
    public static string Node(NodeEvent e, int? iteration, int maxResultBytes) => Write(w =>
    {
        w.WriteString("node_id", e.NodeId);
        w.WriteString("node_type", e.NodeType);
        if (e.ScopeNodeId is not null) w.WriteString("scope_node_id", e.ScopeNodeId);
        if (iteration is { } i) w.WriteNumber("iteration", i);
        w.WriteString("timestamp", ValueJson.FormatTimestamp(e.Timestamp));
        switch (e)
        {
            case NodeCompletedEvent completed:
                w.WriteNumber("duration_ms", Math.Round(completed.Duration.TotalMilliseconds, 3));
                var (json, truncated) = Capped(completed.Result, maxResultBytes);
                w.WritePropertyName("result");
                w.WriteRawValue(json, skipInputValidation: true);
                if (truncated) w.WriteBoolean("result_truncated", true);
                break;
            case NodeFailedEvent failed:
                w.WriteNumber("duration_ms", Math.Round(failed.Duration.TotalMilliseconds, 3));
                w.WriteString("error", failed.Error);
                break;
        }
    });

    /// <summary>The data of <c>run.completed</c>/<c>run.failed</c>: the final status and the body the run answered.</summary>
    public static string RunFinished(string status, string bodyJson) => Write(w =>
    {
        w.WriteString("status", status);
        w.WritePropertyName("body");
        w.WriteRawValue(bodyJson, skipInputValidation: true);
    });

    /// <summary>A JSON object whose fields <paramref name="fields"/> writes.</summary>
    public static string Write(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ValueJson.WriterOptions))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A JSON text written by <paramref name="write"/> (a whole value).</summary>
    public static string WriteValue(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, ValueJson.WriterOptions)) write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
