using System.Text.Json;

namespace Thaiyyal.Engine.Execution;

/// <summary>
/// Writes the execute API's body (server-api.md §2.1) straight from a result, without an intermediate
/// document: <c>{"execution_time", "execution_time_ms", "results", "success"}</c> on success; on failure
/// <c>error</c>, <c>details</c> (the run's message), <c>error_kind</c>, <c>node_id</c> and the partial <c>results</c>.
/// </summary>
public static class ExecutionResponseWriter
{
    /// <summary>The <c>error</c> text of a failed run.</summary>
    public const string ExecutionFailed = "Workflow execution failed";

    /// <summary>The <c>error</c> text of a payload that could not be decoded or checked.</summary>
    public const string InvalidPayload = "Failed to create engine";

    /// <summary>Writes the body for a finished run. <paramref name="elapsed"/> covers decoding and execution.</summary>
    public static void Write(Utf8JsonWriter writer, ExecutionResult result, TimeSpan elapsed) => Write(writer, result, elapsed, null);

    /// <summary>
    /// Writes the body for a finished run with extra top-level fields after the standard ones (the server's
    /// execute-by-id adds <c>workflow_id</c> and <c>workflow_name</c>).
    /// </summary>
    public static void Write(Utf8JsonWriter writer, ExecutionResult result, TimeSpan elapsed, Action<Utf8JsonWriter>? writeExtraFields)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        if (result.Error is { } error)
        {
            writer.WriteString("details", error.Message);
            writer.WriteString("error", ExecutionFailed);
            writer.WriteString("error_kind", KindText(error.Kind));
        }
        writer.WriteString("execution_time", Compatibility.GoDuration.Format(elapsed));
        writer.WriteNumber("execution_time_ms", Math.Round(elapsed.TotalMilliseconds, 3));
        if (result.Error?.NodeId is { } nodeId) writer.WriteString("node_id", nodeId);
        writer.WritePropertyName("results");
        WriteResults(writer, result);
        writer.WriteBoolean("success", result.Success);
        writeExtraFields?.Invoke(writer);
        writer.WriteEndObject();
    }

    /// <summary>Writes the result object (§10): fixed key order, <c>workflow_id</c> and <c>errors</c> only when present.</summary>
    public static void WriteResults(Utf8JsonWriter writer, ExecutionResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("execution_id", result.ExecutionId);
        if (!string.IsNullOrEmpty(result.WorkflowId)) writer.WriteString("workflow_id", result.WorkflowId);
        writer.WritePropertyName("node_results");
        ValueJson.Write(writer, Value.From(result.NodeResults));
        writer.WritePropertyName("final_output");
        ValueJson.Write(writer, result.FinalOutput);
        if (result.Error is { } error)
        {
            writer.WriteStartArray("errors");
            writer.WriteStringValue(error.Message);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes the body for a payload rejected before execution.</summary>
    public static void WriteRejected(Utf8JsonWriter writer, WorkflowException rejection)
    {
        writer.WriteStartObject();
        writer.WriteString("details", rejection.Message);
        writer.WriteString("error", InvalidPayload);
        writer.WriteString("error_kind", rejection.Kind == WorkflowErrorKind.Decode ? "invalid_payload" : "invalid_graph");
        if (rejection.NodeId is { } nodeId) writer.WriteString("node_id", nodeId);
        writer.WriteBoolean("success", false);
        writer.WriteEndObject();
    }

    /// <summary>Snake-case name of an error kind, as it appears in bodies, logs and metric labels.</summary>
    public static string KindText(ExecutionErrorKind kind) => kind switch
    {
        ExecutionErrorKind.NodeFailed => "node_failed",
        ExecutionErrorKind.LimitExceeded => "limit_exceeded",
        ExecutionErrorKind.Timeout => "timeout",
        ExecutionErrorKind.Cancelled => "cancelled",
        _ => "unknown",
    };
}
