using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Thaiyyal.Server.Execution;
using Thaiyyal.Server.Executions;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// Save, list, load, delete and execute stored workflows (server-api.md §3, with its Notes), kept in the store with
/// a new version on every save; the version routes list, load and run older versions.
/// </summary>
public static class StoredWorkflowEndpoints
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;

    public static IEndpointRouteBuilder MapStoredWorkflowApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/workflow").WithTags("Stored workflows");
        group.MapPost("/save", SaveAsync).WithName("SaveWorkflow")
            .WithSummary("Stores a workflow; with the id of a stored one, saves its next version. The answer names the version.")
            .DocumentJsonBody<SaveWorkflowRequest>()
            .Produces<SaveWorkflowResponse>(StatusCodes.Status201Created, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status413PayloadTooLarge, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status503ServiceUnavailable, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status507InsufficientStorage, ApiResults.JsonContentType)
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapGet("/list", ListAsync).WithName("ListWorkflows").WithSummary("Stored workflows at their latest version, newest first, without their data.")
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapGet("/load/{**id}", LoadAsync).WithName("LoadWorkflow").WithSummary("A stored workflow's latest version with its data.")
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapDelete("/delete/{**id}", DeleteAsync).WithName("DeleteWorkflow").WithSummary("Removes a stored workflow and all its versions.")
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapPost("/execute/{**id}", ExecuteAsync).WithName("ExecuteStoredWorkflow")
            .WithSummary("Runs a stored workflow (its latest version, or ?version=N); the body is ignored. Same statuses and body as execute, plus workflow_id, workflow_name and workflow_version; ?mode=async queues it (202).")
            .Produces<ErrorBody>(StatusCodes.Status404NotFound, ApiResults.JsonContentType)
            .RequireRateLimiting(ApiProtection.ExecutePolicy)
            .WithRequestTimeout(ApiProtection.RunTimeoutPolicy);

        var versions = app.MapGroup("/api/v1/workflows/{id}/versions").WithTags("Stored workflows");
        versions.MapGet("", ListVersionsAsync).WithName("ListWorkflowVersions").WithSummary("Every saved version of a workflow, newest first, without data.")
            .Produces<WorkflowVersionListResponse>(StatusCodes.Status200OK, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound, ApiResults.JsonContentType)
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        versions.MapGet("/{version}", LoadVersionAsync).WithName("LoadWorkflowVersion").WithSummary("One saved version of a workflow with its data.")
            .Produces<LoadWorkflowResponse>(StatusCodes.Status200OK, ApiResults.JsonContentType)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound, ApiResults.JsonContentType)
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        return app;
    }

    private static async Task<Results<JsonHttpResult<SaveWorkflowResponse>, JsonHttpResult<ErrorBody>>> SaveAsync(
        HttpContext http, IThaiyyalStore store, WorkflowEngine engine, ServerSettings settings, ILoggerFactory loggers)
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
        // A NUL is no character of a name, and PostgreSQL's text cannot store it (it was answered as a store outage).
        if (name.Contains('\0', StringComparison.Ordinal)) return SaveFailed("workflow name must not contain a NUL character");
        if (description?.Contains('\0', StringComparison.Ordinal) == true) return SaveFailed("workflow description must not contain a NUL character");
        if (request?.Id?.Contains('\0', StringComparison.Ordinal) == true) return SaveFailed("workflow id must not contain a NUL character");
        if (name.Length > MaxNameLength) return SaveFailed($"workflow name is longer than {MaxNameLength} characters");
        if (description?.Length > MaxDescriptionLength) return SaveFailed($"workflow description is longer than {MaxDescriptionLength} characters");
        if (request?.Data is not { } data || data.ValueKind == JsonValueKind.Null) return SaveFailed("workflow data is required");
        // The raw bytes as sent: a workflow over the store's per-workflow budget is refused before it is copied into a
        // string and decoded (a 10 MB save would otherwise allocate ~100 MB per attempt). The store checks again.
        var raw = JsonMarshal.GetRawUtf8Value(data);
        if (settings.Store.MaxWorkflowBytes > 0 && raw.Length > settings.Store.MaxWorkflowBytes)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge,
                $"Failed to save workflow: workflow is {raw.Length} bytes, larger than the {settings.Store.MaxWorkflowBytes}-byte limit for one workflow");
        }
        var payload = data.GetRawText();
        try
        {
            engine.Parse(raw.ToArray());
            OnInterruptField.Validate(raw);
        }
        catch (WorkflowException ex)
        {
            return SaveFailed("invalid workflow data: " + ex.Message);
        }
        var id = request.Id?.Trim();
        try
        {
            if (string.IsNullOrEmpty(id)) id = Guid.NewGuid().ToString();
            else if (await store.Workflows.GetAsync(id, http.RequestAborted) is null)
                return ApiResults.Error(StatusCodes.Status404NotFound, $"Failed to save workflow: workflow with ID {id} not found");
            var saved = await store.Workflows.SaveAsync(id, name, string.IsNullOrEmpty(description) ? null : description, payload, http.RequestAborted);
            loggers.CreateLogger("Thaiyyal.Server").Fields(LogLevel.Information, "Workflow saved", ("id", saved.Id), ("name", saved.Name),
                ("version", saved.Version));
            return ApiResults.Json(new SaveWorkflowResponse(true, saved.Id, "Workflow saved successfully", saved.Version), StatusCodes.Status201Created);
        }
        catch (StorageLimitException ex)
        {
            return ApiResults.Error(ex.Limit == StorageLimit.WorkflowTooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status507InsufficientStorage,
                "Failed to save workflow: " + ex.Message);
        }
        catch (StorageException ex)
        {
            return Unavailable("Failed to save workflow", ex);
        }

        static JsonHttpResult<ErrorBody> SaveFailed(string reason) =>
            ApiResults.Error(StatusCodes.Status400BadRequest, "Failed to save workflow: " + reason);
    }

    private static async Task<Results<JsonHttpResult<WorkflowListResponse>, JsonHttpResult<ErrorBody>>> ListAsync(HttpContext http, IThaiyyalStore store)
    {
        try
        {
            var workflows = (await store.Workflows.ListAsync(http.RequestAborted))
                .Select(w => new WorkflowSummary(w.Id, w.Name, w.Description, GoTime.Format(w.CreatedAt), GoTime.Format(w.UpdatedAt), w.Version)).ToList();
            return ApiResults.Json(new WorkflowListResponse(true, workflows, workflows.Count));
        }
        catch (StorageException ex)
        {
            return Unavailable("Failed to list workflows", ex);
        }
    }

    private static async Task<Results<JsonHttpResult<LoadWorkflowResponse>, JsonHttpResult<ErrorBody>>> LoadAsync(string? id, HttpContext http, IThaiyyalStore store)
    {
        id = id?.Trim() ?? "";
        if (id.Length == 0) return ApiResults.Error(StatusCodes.Status400BadRequest, "Workflow ID is required");
        try
        {
            if (await store.Workflows.GetAsync(id, http.RequestAborted) is not { } stored) return NotFound(id);
            return ApiResults.Json(new LoadWorkflowResponse(true, Detail(stored.Id, stored.Name, stored.Description, stored.PayloadJson,
                stored.CreatedAt, stored.UpdatedAt, stored.Version)));
        }
        catch (StorageException ex)
        {
            return Unavailable("Failed to load workflow", ex);
        }
    }

    private static async Task<Results<JsonHttpResult<MessageResponse>, JsonHttpResult<ErrorBody>>> DeleteAsync(
        string? id, HttpContext http, IThaiyyalStore store, ILoggerFactory loggers)
    {
        id = id?.Trim() ?? "";
        if (id.Length == 0) return ApiResults.Error(StatusCodes.Status400BadRequest, "Workflow ID is required");
        try
        {
            if (!await store.Workflows.DeleteAsync(id, http.RequestAborted)) return NotFound(id);
        }
        catch (StorageException ex)
        {
            return Unavailable("Failed to delete workflow", ex);
        }
        loggers.CreateLogger("Thaiyyal.Server").Fields(LogLevel.Information, "Workflow deleted", ("id", id));
        return ApiResults.Json(new MessageResponse(true, "Workflow deleted successfully"));
    }

    private static async Task<Results<JsonHttpResult<WorkflowVersionListResponse>, JsonHttpResult<ErrorBody>>> ListVersionsAsync(
        string id, HttpContext http, IThaiyyalStore store)
    {
        try
        {
            var versions = await store.Workflows.ListVersionsAsync(id, http.RequestAborted);
            if (versions.Count == 0) return NotFound(id);
            var items = versions.Select(v => new WorkflowVersionSummary(v.Version, v.Name, v.Description, GoTime.Format(v.CreatedAt))).ToList();
            return ApiResults.Json(new WorkflowVersionListResponse(true, id, items, items.Count));
        }
        catch (StorageException ex)
        {
            return Unavailable("Failed to list workflow versions", ex);
        }
    }

    private static async Task<Results<JsonHttpResult<LoadWorkflowResponse>, JsonHttpResult<ErrorBody>>> LoadVersionAsync(
        string id, string version, HttpContext http, IThaiyyalStore store)
    {
        if (!TryParseVersion(version, out var number))
            return ApiResults.Error(StatusCodes.Status400BadRequest, $"invalid version \"{version}\": must be a positive integer");
        try
        {
            if (await store.Workflows.GetVersionAsync(id, number, http.RequestAborted) is not { } stored)
                return ApiResults.Error(StatusCodes.Status404NotFound, $"workflow with ID {id} has no version {number}");
            return ApiResults.Json(new LoadWorkflowResponse(true, Detail(stored.WorkflowId, stored.Name, stored.Description, stored.PayloadJson,
                stored.CreatedAt, stored.CreatedAt, stored.Version)));
        }
        catch (StorageException ex)
        {
            return Unavailable("Failed to load workflow version", ex);
        }
    }

    /// <summary>Besides its return type's statuses: 404 for an unknown workflow or version (documented on the route).</summary>
    private static async Task<Results<Results<RunResponse, JsonHttpResult<ErrorBody>>, AsyncRunAnswer, JsonHttpResult<ErrorBody>>> ExecuteAsync(
        string? id, HttpContext http, IThaiyyalStore store, WorkflowRunner runner, AsyncRunSubmitter submitter)
    {
        id = id?.Trim() ?? "";
        if (id.Length == 0) return ApiResults.Error(StatusCodes.Status400BadRequest, "Workflow ID is required");
        var versionText = http.Request.Query["version"].ToString();
        int? version = null;
        if (versionText.Length > 0)
        {
            if (!TryParseVersion(versionText, out var number))
                return ApiResults.Error(StatusCodes.Status400BadRequest, $"invalid version \"{versionText}\": must be a positive integer");
            version = number;
        }
        (string Name, string Payload, int Version)? found;
        try
        {
            found = version is { } v
                ? await store.Workflows.GetVersionAsync(id, v, http.RequestAborted) is { } old ? (old.Name, old.PayloadJson, old.Version) : null
                : await store.Workflows.GetAsync(id, http.RequestAborted) is { } latest ? (latest.Name, latest.PayloadJson, latest.Version) : null;
        }
        catch (StorageException ex)
        {
            return Unavailable("Failed to load workflow", ex);
        }
        if (found is not { } workflow)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, "Failed to load workflow",
                version is null ? $"workflow with ID {id} not found" : $"workflow with ID {id} has no version {version}");
        }
        var payload = Encoding.UTF8.GetBytes(workflow.Payload);
        var run = new StoredRun(id, workflow.Name, workflow.Version);
        if (AsyncRunSubmitter.IsRequested(http)) return new AsyncRunAnswer(await submitter.SubmitAsync(http, payload, run));
        return await runner.RunAsync(http, payload, run);
    }

    private static bool TryParseVersion(string text, out int version) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version) && version > 0;

    private static WorkflowDetail Detail(string id, string name, string? description, string payloadJson, DateTimeOffset createdAt,
        DateTimeOffset updatedAt, int version)
    {
        using var document = JsonDocument.Parse(payloadJson);
        return new WorkflowDetail(id, name, description, document.RootElement.Clone(), GoTime.Format(createdAt), GoTime.Format(updatedAt), version);
    }

    private static JsonHttpResult<ErrorBody> NotFound(string id) => ApiResults.Error(StatusCodes.Status404NotFound, $"workflow with ID {id} not found");

    /// <summary>The store cannot be reached or written: 503 naming the reason, so clients retry later.</summary>
    private static JsonHttpResult<ErrorBody> Unavailable(string error, StorageException ex) =>
        ApiResults.Error(StatusCodes.Status503ServiceUnavailable, error + ": the store is unavailable", ex.Message);

    /// <summary>Field names match case-insensitively, as Go's decoder does.</summary>
    private static readonly JsonSerializerOptions RequestOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>The save body; <see cref="Id"/> (optional) names a stored workflow to save a new version of.</summary>
public sealed record SaveWorkflowRequest(string? Name, string? Description, JsonElement? Data, string? Id = null);

public sealed record SaveWorkflowResponse(bool Success, string Id, string Message, int Version);

public sealed record MessageResponse(bool Success, string Message);

public sealed record WorkflowSummary(
    string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    string CreatedAt,
    string UpdatedAt,
    int Version);

public sealed record WorkflowListResponse(bool Success, IReadOnlyList<WorkflowSummary> Workflows, int Count);

public sealed record WorkflowDetail(
    string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    JsonElement Data,
    string CreatedAt,
    string UpdatedAt,
    int Version);

public sealed record LoadWorkflowResponse(bool Success, WorkflowDetail Workflow);

public sealed record WorkflowVersionSummary(
    int Version,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    string CreatedAt);

public sealed record WorkflowVersionListResponse(bool Success, string WorkflowId, IReadOnlyList<WorkflowVersionSummary> Versions, int Count);
