using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Expressions.Functions;
using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// Checks the editor runs while the user types, before any run: one expression
/// (<c>POST /api/v1/expressions/check</c>), a whole workflow with every problem tied to its node and field
/// (<c>POST /api/v1/workflow/check</c>), and the expression language's functions and methods
/// (<c>GET /api/v1/expressions/catalogue</c>) for completion.
/// </summary>
public static partial class CheckEndpoints
{
    public static IEndpointRouteBuilder MapCheckApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/expressions/catalogue", () => ApiResults.Json(new ExpressionCatalogueResponse(ExpressionCatalogue.Functions, ExpressionCatalogue.Methods)))
            .WithTags("Expressions")
            .WithName("ExpressionCatalogue")
            .WithSummary("The expression language's functions and methods with their signatures (for completion).")
            .RequireRateLimiting(ApiProtection.ReadPolicy);

        app.MapPost("/api/v1/expressions/check", CheckExpressionAsync)
            .WithTags("Expressions")
            .WithName("CheckExpression")
            .WithSummary("Parses one expression: valid, or the problem and its 1-based column.")
            .DocumentJsonBody<ExpressionCheckRequest>()
            .RequireRateLimiting(ApiProtection.ReadPolicy);

        app.MapPost("/api/v1/workflow/check", CheckWorkflowAsync)
            .WithTags("Workflows")
            .WithName("CheckWorkflow")
            .WithSummary("Checks a workflow without running it and lists every problem with its node and field.")
            .WithDescription("Each node's data, its expression fields (with column), required fields, its input count, then the graph (ids, edges, scopes, cycles).")
            .DocumentJsonBody<WorkflowPayloadDoc>()
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        return app;
    }

    private static async Task<Results<JsonHttpResult<ExpressionCheckResponse>, JsonHttpResult<ErrorBody>>> CheckExpressionAsync(
        HttpContext http, ServerSettings settings)
    {
        var body = await RequestBody.ReadJsonAsync(http, settings);
        if (body.Error is { } error) return error;
        string? text;
        try
        {
            using var doc = JsonDocument.Parse(body.Body!);
            text = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("expression", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString() : null;
        }
        catch (JsonException ex)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "Invalid JSON", ex.Message);
        }
        if (text is null) return ApiResults.Error(StatusCodes.Status400BadRequest, "Invalid request", "send {\"expression\": \"…\"}");
        var problem = ParseProblem(text);
        return ApiResults.Json(problem is null ? new ExpressionCheckResponse(true) : new ExpressionCheckResponse(false, problem.Problem, problem.Column));
    }

    private static async Task<Results<JsonHttpResult<WorkflowCheckResponse>, JsonHttpResult<ErrorBody>>> CheckWorkflowAsync(
        HttpContext http, WorkflowEngine engine, ServerSettings settings)
    {
        var body = await RequestBody.ReadJsonAsync(http, settings);
        if (body.Error is { } error) return error;
        WorkflowDefinition definition;
        try
        {
            definition = WorkflowReader.Read(body.Body!, engine.Options.Limits);
        }
        catch (WorkflowException ex)
        {
            return ApiResults.Json(new WorkflowCheckResponse(false, [new CheckProblem(ex.NodeId, FieldOf(ex.Message), ex.Message)]));
        }
        var problems = Check(engine, definition);
        return ApiResults.Json(new WorkflowCheckResponse(problems.Count == 0, problems));
    }

    /// <summary>Every problem of the workflow: per node first (so one bad node does not hide the others), then the graph.</summary>
    public static IReadOnlyList<CheckProblem> Check(WorkflowEngine engine, WorkflowDefinition definition)
    {
        var problems = new List<CheckProblem>();
        var seen = new HashSet<(string?, string?, string)>();
        var messages = new HashSet<string>(StringComparer.Ordinal);
        void Add(CheckProblem p)
        {
            if (!seen.Add((p.NodeId, p.Field, p.Message))) return;
            problems.Add(p);
            messages.Add(p.Message);
        }
        var inputs = definition.Edges.GroupBy(e => e.Target).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var node in definition.Nodes)
        {
            if (!engine.Registry.TryGet(node.Type, out var executor)) continue; // the graph check names unknown types
            var descriptor = executor.Descriptor;
            var data = node.Data ?? ValueObject.Empty;
            foreach (var field in descriptor.Fields)
            {
                var value = data.GetOrNull(field.Name);
                if (field.Required && (value.IsNull || (value.TryGetString(out var s) && s.Length == 0)))
                {
                    Add(new CheckProblem(node.Id, field.Name, $"{field.Label} is required"));
                }
                else if (field.Type == FieldType.Expression && value.TryGetString(out var text) && text.Length > 0
                    && !IsLegacyOnly(descriptor.Type, text) && ParseProblem(text) is { } problem)
                {
                    Add(new CheckProblem(node.Id, field.Name, problem.Problem, problem.Column));
                }
            }
            // A node inside a scope's body with nothing wired in receives the scope's value as its one input
            // (the engine's rule); a wired one receives only its wires.
            var wired = inputs.GetValueOrDefault(node.Id);
            var received = wired == 0 && node.ParentId is not null ? 1 : wired;
            if (received < descriptor.MinInputs)
            {
                Add(new CheckProblem(node.Id, null, $"needs {(descriptor.MaxInputs == descriptor.MinInputs ? "" : "at least ")}{descriptor.MinInputs} input{(descriptor.MinInputs == 1 ? "" : "s")}, has {received}"));
            }
            try
            {
                engine.Compile(new WorkflowDefinition(null, [node with { ParentId = null }], []));
            }
            catch (WorkflowException ex) when (ex.Kind == WorkflowErrorKind.Decode)
            {
                Add(new CheckProblem(node.Id, FieldOf(ex.Message), ex.Message));
            }
        }
        try
        {
            engine.Compile(definition);
        }
        catch (WorkflowException ex)
        {
            // The same decode problem was already listed with its field.
            if (!messages.Contains(ex.Message)) Add(new CheckProblem(ex.NodeId, FieldOf(ex.Message), ex.Message));
        }
        return problems;
    }

    private static ExpressionException? ParseProblem(string text)
    {
        try
        {
            ExpressionEngine.Parse(text);
            return null;
        }
        catch (ExpressionException ex)
        {
            return ex;
        }
    }

    /// <summary>A while loop's condition may be the legacy numeric form, which never fails (expressions.md §7.4).</summary>
    private static bool IsLegacyOnly(string type, string text) => type == "while_loop" && LegacyComparison().IsMatch(text);

    [GeneratedRegex(@"^\s*(>=|<=|==|!=|>|<)\s*-?[0-9.]+\s*$")]
    private static partial Regex LegacyComparison();

    /// <summary>The data field a decode message names (<c>missing required field: start</c>, <c>field "x" …</c>), if any.</summary>
    private static string? FieldOf(string message)
    {
        var m = FieldInMessage().Match(message);
        return m.Success ? m.Groups[1].Value + m.Groups[2].Value : null;
    }

    [GeneratedRegex(@"missing required field: ([A-Za-z_][A-Za-z0-9_]*)|field ""?([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex FieldInMessage();
}

/// <summary><c>{"expression": "…"}</c>.</summary>
public sealed record ExpressionCheckRequest(string Expression);

/// <summary><c>{"valid":true}</c> or <c>{"valid":false,"error":"unexpected token","column":7}</c>.</summary>
public sealed record ExpressionCheckResponse(
    bool Valid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Column = null);

/// <summary>One problem: the node (null for the whole graph), the data field (null for the node), the message and, for expressions, the column.</summary>
public sealed record CheckProblem(
    [property: JsonPropertyName("node_id")] string? NodeId,
    string? Field,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Column = null);

/// <summary>The whole workflow's check: valid when <c>errors</c> is empty.</summary>
public sealed record WorkflowCheckResponse(bool Valid, IReadOnlyList<CheckProblem> Errors);

/// <summary>The functions and methods of the expression language.</summary>
public sealed record ExpressionCatalogueResponse(IReadOnlyList<ExpressionCallable> Functions, IReadOnlyList<ExpressionCallable> Methods);
