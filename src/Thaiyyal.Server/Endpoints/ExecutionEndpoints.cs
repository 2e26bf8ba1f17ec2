using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Thaiyyal.Server.Executions;

namespace Thaiyyal.Server.Endpoints;

/// <summary>The execution history: list, read, delete, cancel and follow runs (operations.md, "Executions").</summary>
public static class ExecutionEndpoints
{
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapExecutionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/executions").WithTags("Executions").RequireRateLimiting(ApiProtection.ReadPolicy);
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (StorageException ex)
            {
                return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "Execution store unavailable", ex.Message);
            }
        });
        group.MapGet("", ListAsync).WithName("ListExecutions")
            .WithSummary("Executions, newest first. Filters: workflow_id, status, from, to (RFC 3339); paging: limit (1-200, default 50) and cursor (next_cursor of the previous page).")
            .Produces<ExecutionListResponse>(StatusCodes.Status200OK, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status503ServiceUnavailable, ApiResults.JsonContentType);
        group.MapGet("/{id}", GetAsync).WithName("GetExecution")
            .WithSummary("One execution with its final output or failure body and every recorded node run (scope body nodes with scope_node_id and iteration).")
            .Produces<ExecutionDetail>(StatusCodes.Status200OK, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status503ServiceUnavailable, ApiResults.JsonContentType);
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteExecution")
            .WithSummary("Removes a finished execution with its node runs and events; 409 while it is queued or running.")
            .Produces<MessageResponse>(StatusCodes.Status200OK, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status409Conflict, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status503ServiceUnavailable, ApiResults.JsonContentType);
        group.MapPost("/{id}/cancel", CancelAsync).WithName("CancelExecution")
            .WithSummary("Stops a queued or running execution through its cancellation token; 200 with the status once it stopped, 202 while it is still stopping, 409 when it had already finished.")
            .Produces<CancelExecutionResponse>(StatusCodes.Status200OK, ApiResults.JsonContentType)
            .Produces<CancelExecutionResponse>(StatusCodes.Status202Accepted, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status409Conflict, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status503ServiceUnavailable, ApiResults.JsonContentType);
        group.MapGet("/{id}/events", ExecutionEventStream.StreamAsync).WithName("ExecutionEvents")
            .WithSummary("Server-Sent Events of the run: the stored events so far, then live ones until it ends. Last-Event-ID resumes after that sequence.")
            .WithDescription("Events: run.started, node.started, node.completed (with result), node.failed, node.skipped, run.completed / run.failed (with status and the final body). Each event's id is its sequence number. A comment line (': heartbeat') is sent every SSE_HEARTBEAT while nothing else is.")
            .Produces<string>(StatusCodes.Status200OK, ExecutionEventStream.ContentType)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound, ApiResults.JsonContentType)
            .DisableRequestTimeout();
        return app;
    }

    private static async Task<Results<JsonHttpResult<ExecutionListResponse>, JsonHttpResult<ErrorBody>>> ListAsync(
        HttpContext http, ExecutionStore store, [FromQuery(Name = "workflow_id")] string? workflowId, string? status, string? from, string? to, string? cursor, string? limit)
    {
        var repository = store.Repository;
        // No stored workflow id holds a NUL, and PostgreSQL cannot compare text with one (it was answered as an outage).
        if (workflowId?.Contains('\0', StringComparison.Ordinal) == true) return BadQuery("workflow_id must not contain a NUL character");
        ExecutionStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!ExecutionStatusText.TryParse(status, out var parsed))
                return BadQuery($"status \"{status}\" is not one of queued, running, succeeded, failed, cancelled, interrupted");
            wanted = parsed;
        }
        if (!TryTime(from, out var fromTime)) return BadQuery($"from \"{from}\" is not an RFC 3339 time such as 2026-01-02T15:04:05Z");
        if (!TryTime(to, out var toTime)) return BadQuery($"to \"{to}\" is not an RFC 3339 time such as 2026-01-02T15:04:05Z");
        var size = 50;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxPageSize))
            return BadQuery($"limit \"{limit}\" must be a whole number from 1 to {MaxPageSize}");
        var query = new ExecutionQuery(string.IsNullOrEmpty(workflowId) ? null : workflowId, wanted, fromTime, toTime,
            string.IsNullOrEmpty(cursor) ? null : cursor, size);
        ExecutionPage page;
        try
        {
            page = await repository.ListAsync(query, http.RequestAborted);
        }
        catch (ArgumentException ex)
        {
            return BadQuery("cursor is not valid: " + ex.Message);
        }
        return ApiResults.Json(new ExecutionListResponse([.. page.Items.Select(ExecutionSummary.Of)], page.NextCursor));
    }

    private static async Task<Results<JsonHttpResult<ExecutionDetail>, JsonHttpResult<ErrorBody>>> GetAsync(string id, HttpContext http, ExecutionStore store)
    {
        var repository = store.Repository;
        var record = await repository.GetAsync(id, http.RequestAborted);
        if (record is null) return NotFound(id);
        return ApiResults.Json(await StoredNodeRuns.DetailAsync(repository, record, http.RequestAborted));
    }

    private static async Task<Results<JsonHttpResult<MessageResponse>, JsonHttpResult<ErrorBody>>> DeleteAsync(
        string id, HttpContext http, ExecutionStore store, ActiveExecutions active, ILoggerFactory loggers)
    {
        var repository = store.Repository;
        if (active.TryGet(id, out _))
            return ApiResults.Error(StatusCodes.Status409Conflict, $"execution {id} is still queued or running", "cancel it first");
        // Shared store: the run may be queued, or running on another replica (a finished row never becomes unfinished again).
        if (store.IsShared && await repository.GetAsync(id, http.RequestAborted) is { } record && !ExecutionStatusText.IsFinished(record.Status))
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, $"execution {id} is still queued or running",
                record.Replica is { } replica ? $"it runs on replica {replica}; cancel it first" : "cancel it first");
        }
        if (!await repository.DeleteAsync(id, http.RequestAborted)) return NotFound(id);
        loggers.CreateLogger("Thaiyyal.Server").Fields(LogLevel.Information, "Execution deleted", ("execution_id", id));
        return ApiResults.Json(new MessageResponse(true, "Execution deleted successfully"));
    }

    /// <summary>How long the cancel route waits for a running run to stop before answering 202.</summary>
    public static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);

    private static async Task<Results<JsonHttpResult<CancelExecutionResponse>, JsonHttpResult<ErrorBody>>> CancelAsync(
        string id, HttpContext http, ExecutionStore store, ActiveExecutions active, AsyncRunExecutor executor, IThaiyyalStore database,
        ExecutionEventSignals signals, TimeProvider time)
    {
        var repository = store.Repository;
        if (store.IsShared && !active.TryGet(id, out _)) return await CancelElsewhereAsync(id, http, store, database, signals, time);
        if (active.TryGet(id, out var run))
        {
            if (run!.Cancel())
            {
                await executor.CancelQueuedAsync(run);
                return ApiResults.Json(new CancelExecutionResponse(id, ExecutionStatusText.Of(ExecutionStatus.Cancelled)));
            }
            try
            {
                await run.Finished.WaitAsync(CancelWait, time, http.RequestAborted);
            }
            catch (TimeoutException)
            {
                return ApiResults.Json(new CancelExecutionResponse(id, "cancelling"), StatusCodes.Status202Accepted);
            }
        }
        var record = await repository.GetAsync(id, http.RequestAborted);
        if (record is null) return NotFound(id);
        if (record.Status == ExecutionStatus.Cancelled && run is not null)
            return ApiResults.Json(new CancelExecutionResponse(id, ExecutionStatusText.Of(record.Status)));
        if (ExecutionStatusText.IsFinished(record.Status))
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, $"execution {id} has already finished",
                $"its status is {ExecutionStatusText.Of(record.Status)}");
        }
        // Queued or running without a live run here: a process that stopped left it; nothing runs it any more.
        await repository.UpdateAsync(record with { Status = ExecutionStatus.Cancelled, EndedAt = time.GetUtcNow(), PayloadJson = null }, http.RequestAborted);
        return ApiResults.Json(new CancelExecutionResponse(id, ExecutionStatusText.Of(ExecutionStatus.Cancelled)));
    }

    /// <summary>
    /// Cancel through a replica that does not execute the run: a queued row is cancelled in place; a running one gets a
    /// cancel request and a signal, and the replica running it stops it (at the latest on its next lease renewal).
    /// </summary>
    private static async Task<Results<JsonHttpResult<CancelExecutionResponse>, JsonHttpResult<ErrorBody>>> CancelElsewhereAsync(
        string id, HttpContext http, ExecutionStore store, IThaiyyalStore database, ExecutionEventSignals signals, TimeProvider time)
    {
        var repository = store.Repository;
        var body = AsyncRunExecutor.FailureBody("cancelled", "workflow execution cancelled before it started");
        switch (await repository.RequestCancelAsync(id, body, http.RequestAborted))
        {
            case CancelRequestOutcome.NotFound:
                return NotFound(id);
            case CancelRequestOutcome.CancelledWhileQueued:
                await signals.NotifyAsync(id);
                return ApiResults.Json(new CancelExecutionResponse(id, ExecutionStatusText.Of(ExecutionStatus.Cancelled)));
            case CancelRequestOutcome.AlreadyFinished:
                var finished = await repository.GetAsync(id, http.RequestAborted);
                return ApiResults.Error(StatusCodes.Status409Conflict, $"execution {id} has already finished",
                    $"its status is {ExecutionStatusText.Of(finished?.Status ?? ExecutionStatus.Cancelled)}");
        }
        await database.SignalAsync(LeaseKeeper.CancelChannel, id, http.RequestAborted);
        var deadline = time.GetUtcNow() + CancelWait;
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(ExecutionEventStream.StorePollInterval / 5, time, http.RequestAborted);
            if (await repository.GetAsync(id, http.RequestAborted) is { } record && ExecutionStatusText.IsFinished(record.Status))
                return ApiResults.Json(new CancelExecutionResponse(id, ExecutionStatusText.Of(record.Status)));
        }
        return ApiResults.Json(new CancelExecutionResponse(id, "cancelling"), StatusCodes.Status202Accepted);
    }

    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        time = parsed;
        return true;
    }

    private static JsonHttpResult<ErrorBody> BadQuery(string details) =>
        ApiResults.Error(StatusCodes.Status400BadRequest, "Invalid query", details);

    internal static JsonHttpResult<ErrorBody> NotFound(string id) =>
        ApiResults.Error(StatusCodes.Status404NotFound, $"execution {id} not found");
}
