using System.Text.Json.Serialization;
using Thaiyyal.Testing;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// The answer of <c>POST /api/v1/workflow/test</c>: <see cref="Success"/> only when every case passed;
/// <see cref="WorkflowId"/> names the stored workflow tested (absent for a posted one).
/// </summary>
public sealed record WorkflowTestResponse(
    bool Success,
    int Passed,
    int Failed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WorkflowId,
    IReadOnlyList<WorkflowTestCaseResult> Cases);

/// <summary>
/// One case's outcome: its failures (each with a diff and the node path when there is one) and what the run gave:
/// <see cref="FinalOutput"/> when it succeeded, <see cref="Error"/> when it failed (expected or not).
/// </summary>
public sealed record WorkflowTestCaseResult(
    string Name,
    bool Passed,
    [property: JsonPropertyName("duration_ms")] double DurationMs,
    IReadOnlyList<WorkflowTestFailure> Failures,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Value? FinalOutput,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WorkflowTestRunError? Error)
{
    public static WorkflowTestCaseResult From(CaseResult result)
    {
        var run = result.Run;
        return new WorkflowTestCaseResult(
            result.Case.Name,
            result.Passed,
            result.Duration.TotalMilliseconds,
            [.. result.Failures.Select(f => new WorkflowTestFailure(f.Check, f.Message, f.Diff, f.NodePath))],
            run is { Success: true } ? run.FinalOutput : (Value?)null,
            run?.Error is { } error ? new WorkflowTestRunError(error.Message, ExecutionResponseWriter.KindText(error.Kind), error.NodeId) : null);
    }
}

/// <summary>One failed check: <c>check</c> names it (<c>node.total</c>, <c>final_output</c>, <c>skipped</c>, <c>error</c>, <c>assert[0]</c>, <c>network</c>).</summary>
public sealed record WorkflowTestFailure(
    string Check,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Diff,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? NodePath);

/// <summary>A case's failed run: the message, its kind (as <c>error_kind</c> of the execute API) and the node.</summary>
public sealed record WorkflowTestRunError(
    string Message,
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NodeId);

// Shapes for the OpenAPI document only: the route reads the body with TestFileReader.

/// <summary>A workflow test file (docs/testing-workflows.md): the workflow (stored id or payload), defaults, and cases.</summary>
public sealed record WorkflowTestFileDoc(JsonElement Workflow, string? Name, string? Now, int? Seed, IReadOnlyList<WorkflowTestCaseDoc> Cases);

/// <summary>A case: data overrides by node id, pinned results by node id, clock and seed, expectations and expression assertions.</summary>
public sealed record WorkflowTestCaseDoc(
    string Name,
    JsonElement? Set,
    JsonElement? Pin,
    string? Now,
    int? Seed,
    JsonElement? Expect,
    IReadOnlyList<string>? Assert);
