using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Server.Configuration;
using Thaiyyal.Server.Execution;
using Thaiyyal.Server.Executions;
using Thaiyyal.Server.Hosting;
using Thaiyyal.Server.Logging;
using Thaiyyal.Server.Storage;

namespace Thaiyyal.Server.Endpoints;

/// <summary>Save, list, load, delete and execute stored workflows (server-api.md §3, with its Notes).</summary>
public static class StoredWorkflowEndpoints
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;

    public static IEndpointRouteBuilder MapStoredWorkflowApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/workflow").WithTags("Stored workflows");
        group.MapPost("/save", SaveAsync).WithName("SaveWorkflow").WithSummary("Stores a workflow in server memory.")
            .DocumentJsonBody<SaveWorkflowRequest>().RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapGet("/list", List).WithName("ListWorkflows").WithSummary("Stored workflows, newest first, without their data.")
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapGet("/load/{**id}", Load).WithName("LoadWorkflow").WithSummary("A stored workflow with its data.")
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapDelete("/delete/{**id}", Delete).WithName("DeleteWorkflow").WithSummary("Removes a stored workflow.")
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapPost("/execute/{**id}", ExecuteAsync).WithName("ExecuteStoredWorkflow")
            .WithSummary("Runs a stored workflow; the body is ignored. Same statuses and body as execute, plus workflow_id and workflow_name; ?mode=async queues it (202).")
            .Produces<ExecuteResponseDoc>(StatusCodes.Status200OK, ApiResults.JsonContentType)
            .Produces<AsyncRunAccepted>(StatusCodes.Status202Accepted, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound, ApiResults.JsonContentType)
            .RequireRateLimiting(ApiProtection.ExecutePolicy)
            .WithRequestTimeout(ApiProtection.RunTimeoutPolicy);
        return app;
    }

    private static async Task<Results<JsonHttpResult<SaveWorkflowResponse>, JsonHttpResult<ErrorBody>>> SaveAsync(
        HttpContext http, IWorkflowStore store, WorkflowEngine engine, ServerSettings settings, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await RequestBody.ReadJsonAsync(http, settings);
        if (body.Error is { } readError) return readError;
        SaveWorkflowRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<SaveWorkflowRequest>(body.Body!, RequestOptions);
        }
        catch (JsonException ex)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "Failed to parse request", ex.Message);
        }
        var name = request?.Name?.Trim() ?? "";
        var description = request?.Description?.Trim();
        if (name.Length == 0) return SaveFailed("workflow name is required");
        if (name.Length > MaxNameLength) return SaveFailed($"workflow name is longer than {MaxNameLength} characters");
        if (description?.Length > MaxDescriptionLength) return SaveFailed($"workflow description is longer than {MaxDescriptionLength} characters");
        if (request?.Data is not { } data || data.ValueKind == JsonValueKind.Null) return SaveFailed("workflow data is required");
        try
        {
            engine.Parse(Encoding.UTF8.GetBytes(data.GetRawText()));
        }
        catch (WorkflowException ex)
        {
            return SaveFailed("invalid workflow data: " + ex.Message);
        }
        var now = time.GetLocalNow();
        var stored = new StoredWorkflow(Guid.NewGuid().ToString(), name, string.IsNullOrEmpty(description) ? null : description, data.Clone(), now, now);
        if (!store.TryAdd(stored))
        {
            return ApiResults.Error(StatusCodes.Status507InsufficientStorage,
                $"Failed to save workflow: the store is full ({store.Capacity} workflows); delete some first");
        }
        loggers.CreateLogger("Thaiyyal.Server").Fields(LogLevel.Information, "Workflow saved", ("id", stored.Id), ("name", stored.Name));
        return ApiResults.Json(new SaveWorkflowResponse(true, stored.Id, "Workflow saved successfully"), StatusCodes.Status201Created);

        static JsonHttpResult<ErrorBody> SaveFailed(string reason) =>
            ApiResults.Error(StatusCodes.Status400BadRequest, "Failed to save workflow: " + reason);
    }

    private static JsonHttpResult<WorkflowListResponse> List(IWorkflowStore store)
    {
        var workflows = store.List().Select(w => new WorkflowSummary(w.Id, w.Name, w.Description, GoTime.Format(w.CreatedAt), GoTime.Format(w.UpdatedAt))).ToList();
        return ApiResults.Json(new WorkflowListResponse(true, workflows, workflows.Count));
    }

    private static Results<JsonHttpResult<LoadWorkflowResponse>, JsonHttpResult<ErrorBody>> Load(string? id, IWorkflowStore store)
    {
        if (Find(id, store, out var stored) is { } error) return error;
        return ApiResults.Json(new LoadWorkflowResponse(true, new WorkflowDetail(
            stored!.Id, stored.Name, stored.Description, stored.Data, GoTime.Format(stored.CreatedAt), GoTime.Format(stored.UpdatedAt))));
    }

    private static Results<JsonHttpResult<MessageResponse>, JsonHttpResult<ErrorBody>> Delete(string? id, IWorkflowStore store, ILoggerFactory loggers)
    {
        if (Find(id, store, out var stored) is { } error) return error;
        if (!store.TryRemove(stored!.Id)) return ApiResults.Error(StatusCodes.Status404NotFound, $"workflow with ID {stored.Id} not found");
        loggers.CreateLogger("Thaiyyal.Server").Fields(LogLevel.Information, "Workflow deleted", ("id", stored.Id));
        return ApiResults.Json(new MessageResponse(true, "Workflow deleted successfully"));
    }

    private static async Task<IResult> ExecuteAsync(string? id, HttpContext http, IWorkflowStore store, WorkflowRunner runner, AsyncRunSubmitter submitter)
    {
        id = id?.Trim() ?? "";
        if (id.Length == 0) return ApiResults.Error(StatusCodes.Status400BadRequest, "Workflow ID is required");
        if (!store.TryGet(id, out var stored))
            return ApiResults.Error(StatusCodes.Status404NotFound, "Failed to load workflow", $"workflow with ID {id} not found");
        var payload = Encoding.UTF8.GetBytes(stored!.Data.GetRawText());
        var run = new StoredRun(stored.Id, stored.Name);
        return AsyncRunSubmitter.IsRequested(http) ? await submitter.SubmitAsync(http, payload, run) : await runner.RunAsync(http, payload, run);
    }

    private static JsonHttpResult<ErrorBody>? Find(string? id, IWorkflowStore store, out StoredWorkflow? stored)
    {
        stored = null;
        id = id?.Trim() ?? "";
        if (id.Length == 0) return ApiResults.Error(StatusCodes.Status400BadRequest, "Workflow ID is required");
        return store.TryGet(id, out stored) ? null : ApiResults.Error(StatusCodes.Status404NotFound, $"workflow with ID {id} not found");
    }

    /// <summary>Field names match case-insensitively, as Go's decoder does.</summary>
    private static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);
}

public sealed record SaveWorkflowRequest(string? Name, string? Description, JsonElement? Data);

public sealed record SaveWorkflowResponse(bool Success, string Id, string Message);

public sealed record MessageResponse(bool Success, string Message);

public sealed record WorkflowSummary(
    string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    string CreatedAt,
    string UpdatedAt);

public sealed record WorkflowListResponse(bool Success, IReadOnlyList<WorkflowSummary> Workflows, int Count);

public sealed record WorkflowDetail(
    string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    JsonElement Data,
    string CreatedAt,
    string UpdatedAt);

public sealed record LoadWorkflowResponse(bool Success, WorkflowDetail Workflow);
