using System.Text;
using Thaiyyal.Server.Endpoints;
using Thaiyyal.Server.Execution;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// <c>?mode=async</c> of the execute routes: checks the payload like the synchronous route (same 400), stores a
/// <c>queued</c> execution with the payload and answers <c>202 {"execution_id": …}</c> with
/// <c>Location: /api/v1/executions/{id}</c>; a worker runs it. 429 when the async queue is full, 503 when the store cannot take it.
/// </summary>
public sealed class AsyncRunSubmitter(
    WorkflowEngine engine,
    IExecutionQueue queue,
    IExecutionEventFeed feed,
    ActiveExecutions active,
    ExecutionStore store,
    ExecutionIdGenerator ids,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger("Thaiyyal.Server");

    /// <summary>True when the request asks for an asynchronous run (<c>?mode=async</c>).</summary>
    public static bool IsRequested(HttpContext http) =>
        string.Equals(http.Request.Query["mode"].ToString(), "async", StringComparison.OrdinalIgnoreCase);

    public async Task<IResult> SubmitAsync(HttpContext http, byte[] payload, StoredRun? stored)
    {
        try
        {
            PinnedResultsField.Read(payload, engine.Parse(payload), engine.Options.Limits);
            OnInterruptField.Validate(payload);
        }
        catch (WorkflowException ex)
        {
            _log.Fields(LogLevel.Warning, ExecutionResponseWriter.InvalidPayload, ("error", ex.Message), ("node_id", ex.NodeId), ("status_code", 400));
            return RunResponse.Rejected(ex);
        }

        var id = ids.Next();
        var queued = new ExecutionRecord
        {
            Id = id,
            WorkflowId = stored?.Id,
            WorkflowVersion = stored?.Version,
            PayloadHash = ExecutionIds.PayloadHash(payload),
            PayloadJson = Encoding.UTF8.GetString(payload),
            Mode = "async",
            Source = ExecutionIds.SourceOf(http),
            Status = ExecutionStatus.Queued,
            CreatedAt = time.GetUtcNow(),
        };
        // A shared queue's run may execute on any replica, which opens its feed then; here it is known only once claimed.
        var run = store.IsShared ? null : active.Add(id);
        if (run is not null) feed.Open(id);
        bool accepted;
        try
        {
            accepted = await queue.TrySubmitAsync(queued, http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (run is not null) Forget(run);
            _log.Fields(LogLevel.Error, "could not queue an asynchronous run", ("error", ex.Message));
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "Failed to queue the workflow run", ex.Message);
        }
        if (!accepted)
        {
            if (run is not null) Forget(run);
            http.Response.Headers.RetryAfter = "1";
            return ApiResults.Error(StatusCodes.Status429TooManyRequests, "Too many queued runs",
                "the asynchronous run queue is full; retry later");
        }
        _log.Fields(LogLevel.Information, "workflow run queued", ("execution_id", id), ("workflow_id", stored?.Id));
        http.Response.Headers.Location = "/api/v1/executions/" + id;
        return ApiResults.Json(new AsyncRunAccepted(id), StatusCodes.Status202Accepted);
    }

    private void Forget(ActiveExecution run)
    {
        feed.Release(run.Id);
        active.Remove(run);
        run.Dispose();
    }
}

/// <summary>The 202 body of an asynchronous run.</summary>
public sealed record AsyncRunAccepted(string ExecutionId);
