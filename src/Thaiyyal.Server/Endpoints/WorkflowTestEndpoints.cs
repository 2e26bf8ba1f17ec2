using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Timeouts;
using Thaiyyal.Engine.Http;
using Thaiyyal.Server.Execution;
using Thaiyyal.Testing;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// <c>POST /api/v1/workflow/test</c>: runs the cases of a workflow test file (the format of <c>thaiyyal test</c>,
/// as JSON) against a stored workflow (<c>"workflow": "&lt;id&gt;"</c>) or one posted inline, with the engine's
/// limits on every case. The request takes one run slot and runs its cases one after another in it; unpinned
/// <c>http</c> nodes reach the network only with <c>?allow_network=true</c>, and then through the server's own
/// outbound HTTP (SSRF policy, named clients). Test runs are not recorded in the execution history.
/// </summary>
public static class WorkflowTestEndpoints
{
    /// <summary>How the test file is named in error messages (it has no path on a server).</summary>
    public const string RequestFileName = "request";

    public static IEndpointRouteBuilder MapWorkflowTestApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/workflow/test", TestAsync)
            .WithTags("Workflows")
            .WithName("TestWorkflow")
            .WithSummary("Runs a workflow test file's cases against a stored or posted workflow and returns each case's outcome.")
            .WithDescription("The body is a test file (docs/testing-workflows.md) as JSON; its workflow is a stored workflow id or the workflow payload itself. "
                + "200 when the cases ran (success is true only when every case passed; each case lists its failures with diffs and node paths); "
                + "400 an invalid test file (naming the case and field) or more cases than -max-test-cases; 404 no stored workflow with that id; "
                + "429 no run slot is free; 503 the server is draining; 504 the response deadline passed before every case ran. "
                + "http nodes that are not pinned fail their case unless ?allow_network=true, and then go through the server's SSRF policy.")
            .DocumentJsonBody<WorkflowTestFileDoc>()
            .RequireRateLimiting(ApiProtection.ExecutePolicy)
            .WithRequestTimeout(ApiProtection.RunTimeoutPolicy);
        return app;
    }

    /// <summary>The statuses of this handler's return type are the route's documented responses.</summary>
    private static async Task<Results<JsonOk<WorkflowTestResponse>, BodyRejected, TestRunRefused>> TestAsync(HttpContext http, ServerSettings settings, WorkflowEngine engine, OutboundHttp outbound,
        IThaiyyalStore store, RunCoordinator runs, RunAdmission admission, ILoggerFactory loggers)
    {
        if (!TryReadAllowNetwork(http, out var allowNetwork))
            return new TestRunRefused(ApiResults.Error(StatusCodes.Status400BadRequest, "Invalid test request", "allow_network must be true or false"));
        var body = await RequestBody.ReadJsonAsync(http, settings);
        if (body.Error is { } readError) return new BodyRejected(readError);

        WorkflowTestFile file;
        try
        {
            file = Decode(body.Body!, settings.MaxTestCases);
        }
        catch (TestFileException ex)
        {
            return InvalidTestFile(ex);
        }

        string? storedId = file.Workflow.Reference;
        JsonObject workflow;
        if (file.Workflow.Inline is { } inline) workflow = inline;
        else
        {
            try
            {
                if (await store.Workflows.GetAsync(storedId!, http.RequestAborted) is not { } stored)
                    return new TestRunRefused(ApiResults.Error(StatusCodes.Status404NotFound, "Failed to load workflow", $"workflow with ID {storedId} not found"));
                workflow = TestFileReader.ParseWorkflow(stored.PayloadJson)
                    ?? throw new StorageException($"stored workflow {storedId} is not a JSON object");
            }
            catch (StorageException ex)
            {
                return new TestRunRefused(ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "Failed to load workflow: the store is unavailable", ex.Message));
            }
        }

        var (admitted, refusal) = await admission.EnterAsync(http);
        if (refusal is not null) return new TestRunRefused(refusal);
        using var run = admitted!;

        var runner = new WorkflowTestRunner(new TestRunSettings
        {
            AllowNetwork = allowNetwork,
            NetworkHttp = outbound,
            Limits = engine.Options.Limits,
            Registry = engine.Registry,
        });
        var results = new List<CaseResult>(file.Cases.Count);
        try
        {
            foreach (var testCase in file.Cases)
            {
                if (run.Token.IsCancellationRequested) break;
                results.Add(await runner.RunCaseAsync(file, workflow, testCase, run.Token));
            }
        }
        catch (TestFileException ex)
        {
            // A case names a node the workflow does not have: the file does not fit this workflow.
            return InvalidTestFile(ex);
        }

        if (runs.ShutdownRequested)
            return new TestRunRefused(ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "Server is shutting down", "the test run was cancelled; retry on another replica"));
        if (http.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true)
            return new TestRunRefused(ApiResults.Error(StatusCodes.Status504GatewayTimeout, "Workflow test timed out",
                $"{results.Count(r => !Cancelled(r))} of {file.Cases.Count} cases finished before the response deadline ({Engine.Compatibility.GoDuration.Format(settings.RunResponseTimeout)}); send fewer cases per request"));

        var passed = results.Count(r => r.Passed);
        loggers.CreateLogger("Thaiyyal.Server").Fields(LogLevel.Information, "workflow test run", ("workflow_id", storedId),
            ("cases", results.Count), ("passed", passed), ("failed", results.Count - passed), ("allow_network", allowNetwork));
        return new JsonOk<WorkflowTestResponse>(new WorkflowTestResponse(passed == results.Count, passed, results.Count - passed, storedId,
            [.. results.Select(WorkflowTestCaseResult.From)]));
    }

    /// <summary>The body as a test file; the number of cases is checked before they are decoded.</summary>
    private static WorkflowTestFile Decode(byte[] body, int maxCases)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: TestFileReader.JsonFileOptions);
        }
        catch (JsonException ex)
        {
            throw new TestFileException(RequestFileName, null, "file", $"invalid JSON: {ex.Message}");
        }
        if (root is not JsonObject document) throw new TestFileException(RequestFileName, null, "file", "must be an object with 'workflow' and 'cases'");
        if (document["cases"] is JsonArray cases && cases.Count > maxCases)
            throw new TestFileException(RequestFileName, null, "cases", $"{cases.Count} cases is more than this server runs in one request (max-test-cases: {maxCases}); split the file");
        return TestFileReader.Decode(RequestFileName, TestFileFormat.Json, document);
    }

    private static TestRunRefused InvalidTestFile(TestFileException ex) =>
        new(ApiResults.Error(StatusCodes.Status400BadRequest, "Invalid test file", ex.Message));

    private static bool TryReadAllowNetwork(HttpContext http, out bool allow)
    {
        var text = http.Request.Query["allow_network"].ToString();
        allow = false;
        return text.Length == 0 || bool.TryParse(text, out allow);
    }

    private static bool Cancelled(CaseResult result) => result.Run?.Error?.Kind == ExecutionErrorKind.Cancelled;
}
