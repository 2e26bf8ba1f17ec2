using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Timeouts;
using Thaiyyal.Server.Endpoints;
using Thaiyyal.Server.Executions;
using Thaiyyal.Server.Telemetry;

namespace Thaiyyal.Server.Execution;

/// <summary>A stored workflow being run by id (at <paramref name="Version"/>): its id labels the metrics; id, name and version appear in the body.</summary>
public sealed record StoredRun(string Id, string Name, int? Version = null);

/// <summary>
/// Runs a payload for the execute routes: decode and check, wait for a run slot, execute with telemetry, and map
/// the outcome to a status code (server-api.md §2.1 Notes): 200 success; 400 invalid payload or graph; 422 a node
/// or its data failed; 429 a per-run budget ran out (or no run slot was free); 504 the execution time limit or
/// the response deadline passed; 503 graceful shutdown cancelled the run; 499 the client went away. The body
/// shape is the same for all of them.
/// </summary>
public sealed class WorkflowRunner(WorkflowEngine engine, RunCoordinator runs, RunAdmission admission, SyncRunRecorder recorder,
    ExecutionIdGenerator ids, ILoggerFactory loggers)
{
    /// <summary>Status for a run whose client disconnected (nginx's convention; nobody reads it).</summary>
    public const int ClientClosedRequest = 499;

    private readonly ILogger _engineLog = loggers.CreateLogger("Thaiyyal.Engine");
    private readonly ILogger _serverLog = loggers.CreateLogger("Thaiyyal.Server");

    public async Task<Results<RunResponse, JsonHttpResult<ErrorBody>>> RunAsync(HttpContext http, byte[] payload, StoredRun? stored)
    {
        var started = Stopwatch.GetTimestamp();
        Workflow workflow;
        IReadOnlyDictionary<string, Engine.Workflows.Value>? pins;
        try
        {
            workflow = engine.Parse(payload);
            pins = PinnedResultsField.Read(payload, workflow, engine.Options.Limits);
        }
        catch (WorkflowException ex)
        {
            _serverLog.Fields(LogLevel.Warning, ExecutionResponseWriter.InvalidPayload, ("error", ex.Message), ("node_id", ex.NodeId), ("status_code", 400));
            return RunResponse.Rejected(ex);
        }

        var (admitted, refusal) = await admission.EnterAsync(http);
        if (refusal is not null) return refusal;
        using var run = admitted!;
        var executionId = ids.Next();
        var journal = recorder.StartJournal(executionId);
        ExecutionObserver observer = new RunTelemetryObserver(_engineLog, stored?.Id ?? "", engine.Options.Limits);
        if (journal is not null) observer = new ObserverFanOut(observer, journal);
        var runStarted = DateTimeOffset.UtcNow;
        var result = await engine.ExecuteAsync(workflow, new RunOptions { Observer = observer, ExecutionId = executionId, PinnedResults = pins }, run.Token);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var status = StatusFor(http, result);
        if (status == StatusCodes.Status503ServiceUnavailable)
            result = result with { Error = result.Error! with { Message = "workflow execution cancelled: the server is shutting down" } };
        else if (status == StatusCodes.Status504GatewayTimeout && result.Error!.Kind == ExecutionErrorKind.Cancelled)
            result = result with { Error = result.Error with { Message = "workflow execution cancelled: response deadline exceeded" } };
        if (!result.Success && status != ClientClosedRequest)
            _serverLog.Fields(LogLevel.Error, ExecutionResponseWriter.ExecutionFailed, ("error", result.Error!.Message), ("status_code", status));
        if (stored is not null)
            _serverLog.Fields(LogLevel.Information, "Workflow executed by ID", ("id", stored.Id), ("name", stored.Name), ("success", result.Success));

        Action<Utf8JsonWriter>? extra = stored is null ? null : w =>
        {
            w.WriteString("workflow_id", stored.Id);
            w.WriteString("workflow_name", stored.Name);
            if (stored.Version is { } version) w.WriteNumber("workflow_version", version);
        };
        if (journal is null || !recorder.Keeps(result)) return RunResponse.Finished(status, result, elapsed, extra);
        // A recorded run's body is written once: the same bytes answer the request and become the stored run.completed.
        var body = NodeEventJson.WriteValueUtf8(w => ExecutionResponseWriter.Write(w, result, elapsed, extra));
        recorder.Record(journal, http, payload, stored, result, runStarted, elapsed, extra, body);
        return RunResponse.Written(status, body);
    }

    private int StatusFor(HttpContext http, ExecutionResult result)
    {
        if (result.Error is not { } error) return StatusCodes.Status200OK;
        return error.Kind switch
        {
            ExecutionErrorKind.NodeFailed => StatusCodes.Status422UnprocessableEntity,
            ExecutionErrorKind.LimitExceeded => StatusCodes.Status429TooManyRequests,
            ExecutionErrorKind.Timeout => StatusCodes.Status504GatewayTimeout,
            ExecutionErrorKind.Cancelled when runs.ShutdownRequested => StatusCodes.Status503ServiceUnavailable,
            ExecutionErrorKind.Cancelled when http.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true
                => StatusCodes.Status504GatewayTimeout,
            ExecutionErrorKind.Cancelled => ClientClosedRequest,
            _ => StatusCodes.Status500InternalServerError,
        };
    }
}
