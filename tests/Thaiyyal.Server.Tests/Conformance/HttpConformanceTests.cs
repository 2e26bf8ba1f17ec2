using System.Text.Json;
using System.Text.Json.Nodes;
using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Tests.Conformance;
using Thaiyyal.Engine.Workflows;
using Thaiyyal.Server.Tests.TestHost;
using Xunit.Abstractions;

namespace Thaiyyal.Server.Tests.Conformance;

/// <summary>Every shared conformance case through the real server gives the same verdict as the engine in-process.</summary>
public sealed class HttpConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_execute_api_passes_exactly_the_cases_the_engine_passes_in_process()
    {
        var cases = ConformanceCases.Load();
        Assert.NotEmpty(cases);
        var engine = new WorkflowEngine();
        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        var differences = new List<string>();
        var passed = 0;
        foreach (var c in cases)
        {
            var direct = await InProcessAsync(engine, c);
            var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", c.WorkflowJson);
            var overHttp = ConformanceChecker.Check(c.Expect, body, (int)status);
            if ((direct is null) != (overHttp is null)) differences.Add($"{c.RelativePath}: in-process {direct ?? "pass"}, over HTTP {overHttp ?? "pass"}");
            if (overHttp is null) passed++;
        }
        output.WriteLine($"conformance (http): {passed} passed, {cases.Count - passed} failed");
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    private static async Task<string?> InProcessAsync(WorkflowEngine engine, ConformanceCase c)
    {
        var body = new MemoryStream();
        int status;
        using (var writer = new Utf8JsonWriter(body, ValueJson.WriterOptions))
        {
            try
            {
                var result = await engine.ExecuteAsync(engine.Parse(c.WorkflowJson));
                ExecutionResponseWriter.Write(writer, result, result.Duration);
                status = result.Success ? 200 : 500;
            }
            catch (WorkflowException ex)
            {
                ExecutionResponseWriter.WriteRejected(writer, ex);
                status = 400;
            }
        }
        return ConformanceChecker.Check(c.Expect, JsonNode.Parse(body.ToArray()), c.Expect["status"] is not null ? status : null);
    }
}
