using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Thaiyyal.Server.Execution;
using Thaiyyal.Server.Executions;

namespace Thaiyyal.Server.Endpoints;

/// <summary><c>POST /api/v1/workflow/execute</c> and <c>POST /api/v1/workflow/validate</c> (server-api.md §2).</summary>
public static class WorkflowEndpoints
{
    public static IEndpointRouteBuilder MapWorkflowApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/workflow").WithTags("Workflows");

        group.MapPost("/execute", ExecuteAsync)
            .WithName("ExecuteWorkflow")
            .WithSummary("Runs the posted workflow and returns every node's result.")
            .WithDescription("200 success; 400 invalid payload or graph; 422 a node failed; 429 a per-run limit ran out or no run slot is free; 504 the execution time limit passed. Failures keep the body shape and carry the partial results. With ?mode=async: 202 with execution_id and Location /api/v1/executions/{id} (the run is queued for a worker), 429 when the async queue is full, 503 without an execution store. The header X-Thaiyyal-Source: editor marks the run as started from the editor.")
            .DocumentJsonBody<WorkflowPayloadDoc>()
            .RequireRateLimiting(ApiProtection.ExecutePolicy)
            .WithRequestTimeout(ApiProtection.RunTimeoutPolicy);

        group.MapPost("/validate", ValidateAsync)
            .WithName("ValidateWorkflow")
            .WithSummary("Checks a workflow without running it: JSON, node data, ids, edges, node types, scopes and cycles.")
            .DocumentJsonBody<WorkflowPayloadDoc>()
            .RequireRateLimiting(ApiProtection.ExecutePolicy);
        return app;
    }

    /// <summary>The statuses of this handler's return type are the route's documented responses.</summary>
    private static async Task<Results<Results<RunResponse, JsonHttpResult<ErrorBody>>, AsyncRunAnswer, BodyRejected, JsonHttpResult<ErrorBody>>> ExecuteAsync(
        HttpContext http, WorkflowRunner runner, AsyncRunSubmitter submitter, ServerSettings settings)
    {
        // Routing ignores a trailing slash, but ".../execute/" is execute-by-id with an empty id (server-api.md §3.5).
        if (http.Request.Path.Value?.EndsWith('/') == true) return ApiResults.Error(StatusCodes.Status400BadRequest, "Workflow ID is required");
        var body = await RequestBody.ReadJsonAsync(http, settings);
        if (body.Error is { } error) return new BodyRejected(error);
        if (AsyncRunSubmitter.IsRequested(http)) return new AsyncRunAnswer(await submitter.SubmitAsync(http, body.Body!, stored: null));
        return await runner.RunAsync(http, body.Body!, stored: null);
    }

    private static async Task<Results<JsonOk<ValidationResponse>, BodyRejected>> ValidateAsync(HttpContext http, WorkflowEngine engine, ServerSettings settings)
    {
        var body = await RequestBody.ReadJsonAsync(http, settings);
        if (body.Error is { } error) return new BodyRejected(error);
        try
        {
            engine.Parse(body.Body!);
            return new JsonOk<ValidationResponse>(new ValidationResponse(true));
        }
        catch (WorkflowException ex)
        {
            return new JsonOk<ValidationResponse>(new ValidationResponse(false, ex.Message, ex.NodeId));
        }
    }
}

/// <summary><c>{"valid":true}</c> or <c>{"valid":false,"error":"…","node_id":"…"}</c>.</summary>
public sealed record ValidationResponse(
    bool Valid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NodeId = null);
