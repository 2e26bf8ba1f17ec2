using System.Text.Json.Serialization;

namespace Thaiyyal.Server.Endpoints;

// Shapes for the OpenAPI document only: the execute routes write their bodies with ExecutionResponseWriter.

/// <summary>
/// A workflow payload (workflow-format.md). <c>pinned_results</c> (execute only, optional): results by node id that
/// stand in for running those nodes, as the editor's "pin output" sends them.
/// </summary>
public sealed record WorkflowPayloadDoc(
    [property: JsonPropertyName("workflow_id")] string? WorkflowId,
    IReadOnlyList<NodeDoc> Nodes,
    IReadOnlyList<EdgeDoc> Edges,
    [property: JsonPropertyName("pinned_results")] JsonElement? PinnedResults = null);

/// <summary>A node: id, type and its data fields (see GET /api/v1/nodes).</summary>
public sealed record NodeDoc(string Id, string? Type, JsonElement Data);

/// <summary>An edge; <c>sourceHandle</c> selects a branch output.</summary>
public sealed record EdgeDoc(
    string? Id,
    string Source,
    string Target,
    [property: JsonPropertyName("sourceHandle")] string? SourceHandle,
    [property: JsonPropertyName("targetHandle")] string? TargetHandle);

/// <summary>The execute routes' body, on success and on failure.</summary>
public sealed record ExecuteResponseDoc(
    bool Success,
    [property: JsonPropertyName("execution_time")] string? ExecutionTime,
    [property: JsonPropertyName("execution_time_ms")] double? ExecutionTimeMs,
    ExecuteResultsDoc? Results,
    string? Error,
    string? Details,
    [property: JsonPropertyName("error_kind")] string? ErrorKind,
    [property: JsonPropertyName("node_id")] string? NodeId,
    [property: JsonPropertyName("workflow_id")] string? WorkflowId,
    [property: JsonPropertyName("workflow_name")] string? WorkflowName);

/// <summary>The run's results: node results by id, the final output, errors.</summary>
public sealed record ExecuteResultsDoc(
    [property: JsonPropertyName("execution_id")] string ExecutionId,
    [property: JsonPropertyName("workflow_id")] string? WorkflowId,
    [property: JsonPropertyName("node_results")] JsonElement NodeResults,
    [property: JsonPropertyName("final_output")] JsonElement FinalOutput,
    IReadOnlyList<string>? Errors);

/// <summary>
/// Describes a JSON request body in the OpenAPI document without adding <c>Accepts</c> metadata: that metadata
/// also takes part in routing, and the handlers check the content type themselves (415 with the error body).
/// </summary>
public static class OpenApiRequestBodies
{
    public static RouteHandlerBuilder DocumentJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
