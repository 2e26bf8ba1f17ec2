using System.Diagnostics;
using M = Thaiyyal.Engine.Execution.EngineMetrics;

namespace Thaiyyal.Server.Telemetry;

/// <summary>
/// One run's metrics, spans and engine log records, from the engine's events (operations.md §5).
/// Metrics: each run is recorded exactly once, synchronously, when it finishes; <c>workflow_id</c> is the stored
/// workflow's id or "" (a payload's own id is user text and would make label sets unbounded).
/// Spans: <c>workflow.execute</c> under the request's activity and <c>node.execute</c> under it (or under the
/// enclosing scope node); the engine calls node events on the node's own async flow, so a node span is
/// <see cref="Activity.Current"/> while the node runs and outbound HTTP spans nest under it.
/// Logs: the catalogue's engine records, per-node success at DEBUG and one record per node failure.
/// </summary>
public sealed class RunTelemetryObserver(ILogger logger, string metricsWorkflowId, ExecutionLimits limits) : ExecutionObserver
{
    // Made with the first node span (an unsampled run needs none); guarded by its own lock, as the nodes of a parallel
    // run report from several threads. A handful of spans at a time: a list is cheaper than a concurrent dictionary.
    private List<Activity>? _openNodeSpans;
    private Activity? _runSpan;

    public override void OnRunStarted(RunStartedEvent e)
    {
        _runSpan = EngineTracing.Source.StartActivity(EngineTracing.RunSpan, ActivityKind.Internal);
        if (_runSpan is { IsAllDataRequested: false })
        {
            // Not sampled (OTEL_TRACES_SAMPLER): the span only carries the trace context; no node spans or tags.
            _runSpan.Dispose();
            _runSpan = null;
        }
        _runSpan?.SetTag("workflow.id", e.WorkflowId ?? "").SetTag("execution.id", e.ExecutionId);
        logger.Fields(LogLevel.Information, "workflow execution started",
            ("workflow_id", e.WorkflowId ?? ""), ("execution_id", e.ExecutionId), ("node_count", e.NodeCount));
    }

    public override void OnNodeStarted(NodeStartedEvent e)
    {
        logger.Fields(LogLevel.Debug, "node execution started",
            ("workflow_id", e.WorkflowId ?? ""), ("execution_id", e.ExecutionId), ("node_id", e.NodeId), ("node_type", e.NodeType));
        // Node spans only inside a recorded run span: an unsampled run would otherwise build one per node for nothing.
        if (_runSpan is null) return;
        var span = EngineTracing.Source.StartActivity(EngineTracing.NodeSpan, ActivityKind.Internal);
        if (span is null) return;
        span.SetTag("node.id", e.NodeId).SetTag("node.type", e.NodeType).SetTag("execution.id", e.ExecutionId);
        if (e.ScopeNodeId is not null) span.SetTag("scope.node_id", e.ScopeNodeId);
        var open = Volatile.Read(ref _openNodeSpans) ?? Interlocked.CompareExchange(ref _openNodeSpans, new List<Activity>(4), null) ?? _openNodeSpans!;
        lock (open) open.Add(span);
    }

    public override void OnNodeCompleted(NodeCompletedEvent e)
    {
        var type = new KeyValuePair<string, object?>(M.Tags.NodeType, e.NodeType);
        M.NodeExecutions.Add(1, type);
        M.NodeExecutionsSuccess.Add(1, type);
        M.NodeExecutionDuration.Record(e.Duration.TotalSeconds, type);
        // Guarded here as well: the duration would be boxed before Fields could see that DEBUG is off.
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.Fields(LogLevel.Debug, "node execution completed successfully",
                ("workflow_id", e.WorkflowId ?? ""), ("execution_id", e.ExecutionId), ("node_id", e.NodeId), ("node_type", e.NodeType),
                ("duration_ms", (long)e.Duration.TotalMilliseconds));
        }
        EndNodeSpan(e.NodeId, null);
    }

    public override void OnNodeFailed(NodeFailedEvent e)
    {
        var type = new KeyValuePair<string, object?>(M.Tags.NodeType, e.NodeType);
        M.NodeExecutions.Add(1, type);
        M.NodeExecutionsFailure.Add(1, type);
        M.NodeExecutionDuration.Record(e.Duration.TotalSeconds, type);
        logger.Fields(LogLevel.Error, "node execution failed",
            ("workflow_id", e.WorkflowId ?? ""), ("execution_id", e.ExecutionId), ("node_id", e.NodeId), ("node_type", e.NodeType),
            ("error", e.Error));
        EndNodeSpan(e.NodeId, e.Error);
    }

    public override void OnNodeSkipped(NodeSkippedEvent e) =>
        logger.Fields(LogLevel.Debug, "node skipped due to conditional edge",
            ("workflow_id", e.WorkflowId ?? ""), ("execution_id", e.ExecutionId), ("node_id", e.NodeId));

    public override void OnRunCompleted(RunCompletedEvent e)
    {
        RecordRun(M.RunStatus.Success, e.Duration);
        logger.Fields(LogLevel.Information, "workflow execution completed successfully",
            ("workflow_id", e.WorkflowId ?? ""), ("execution_id", e.ExecutionId),
            ("duration_ms", (long)e.Duration.TotalMilliseconds), ("nodes_executed", e.NodesExecuted));
        EndRunSpan(null, "success", e.NodesExecuted);
    }

    public override void OnRunFailed(RunFailedEvent e)
    {
        var error = e.Error;
        var status = error.Kind switch
        {
            ExecutionErrorKind.Timeout => M.RunStatus.Timeout,
            ExecutionErrorKind.LimitExceeded => M.RunStatus.Limit,
            ExecutionErrorKind.Cancelled => M.RunStatus.Cancelled,
            _ => M.RunStatus.Failure,
        };
        RecordRun(status, e.Duration);
        var limit = error.Kind == ExecutionErrorKind.Timeout ? "execution_time" : error.Limit == "loop_iterations" ? "iterations" : error.Limit;
        if (limit is not null) M.WorkflowLimitExceeded.Add(1, new KeyValuePair<string, object?>(M.Tags.Limit, limit));
        if (error.Kind == ExecutionErrorKind.Timeout)
        {
            logger.Fields(LogLevel.Error, "workflow execution timeout",
                ("workflow_id", e.WorkflowId ?? ""), ("execution_id", e.ExecutionId), ("timeout", limits.MaxExecutionTime),
                ("duration_ms", (long)e.Duration.TotalMilliseconds), ("nodes_executed", e.NodesExecuted));
        }
        else
        {
            logger.Fields(error.Kind == ExecutionErrorKind.Cancelled ? LogLevel.Warning : LogLevel.Error, "workflow execution failed",
                ("workflow_id", e.WorkflowId ?? ""), ("execution_id", e.ExecutionId), ("error", error.Message),
                ("error_kind", ExecutionResponseWriter.KindText(error.Kind)), ("node_id", error.NodeId),
                ("duration_ms", (long)e.Duration.TotalMilliseconds), ("nodes_executed", e.NodesExecuted));
        }
        // Nodes abandoned by a deadline or cancellation never report back; close their spans here.
        if (Volatile.Read(ref _openNodeSpans) is { } open)
        {
            Activity[] abandoned;
            lock (open)
            {
                abandoned = [.. open];
                open.Clear();
            }
            foreach (var span in abandoned) Finish(span, "node did not finish: " + error.Message);
        }
        EndRunSpan(error.Message, status, e.NodesExecuted);
    }

    private void RecordRun(string status, TimeSpan duration)
    {
        var id = new KeyValuePair<string, object?>(M.Tags.WorkflowId, metricsWorkflowId);
        M.WorkflowExecutions.Add(1, id);
        (status == M.RunStatus.Success ? M.WorkflowExecutionsSuccess : M.WorkflowExecutionsFailure).Add(1, id);
        M.WorkflowExecutionDuration.Record(duration.TotalSeconds, id, new KeyValuePair<string, object?>(M.Tags.Status, status));
    }

    private void EndNodeSpan(string nodeId, string? error)
    {
        if (Activity.Current is not { } span || !ReferenceEquals(span.Source, EngineTracing.Source)
            || span.OperationName != EngineTracing.NodeSpan || !Equals(span.GetTagItem("node.id"), nodeId))
            return;
        if (Volatile.Read(ref _openNodeSpans) is not { } open) return;
        bool removed;
        lock (open) removed = open.Remove(span);
        if (removed) Finish(span, error);
    }

    private void EndRunSpan(string? error, string status, int nodesExecuted)
    {
        if (_runSpan is null) return;
        _runSpan.SetTag("workflow.status", status).SetTag("nodes.executed", nodesExecuted);
        Finish(_runSpan, error);
    }

    private static void Finish(Activity span, string? error)
    {
        if (error is null) span.SetStatus(ActivityStatusCode.Ok);
        else
        {
            span.SetStatus(ActivityStatusCode.Error, error);
            span.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection { ["exception.message"] = error }));
        }
        span.Stop();
    }
}
