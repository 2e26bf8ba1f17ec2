using System.Text.Json;
using System.Text.Json.Nodes;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Workflows;
using Xunit.Abstractions;

namespace Thaiyyal.Engine.Tests.Conformance;

/// <summary>
/// Runs every shared conformance case through the engine in-process and writes the execute-API body, as
/// the server and CLI do. Fails when fewer cases pass than the floor in tests/conformance-floor.txt.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    private static readonly WorkflowEngine Engine = new();

    [Fact]
    public async Task Passing_cases_do_not_drop_below_the_recorded_floor()
    {
        var cases = ConformanceCases.Load();
        Assert.NotEmpty(cases);
        var passed = 0;
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var reason = await RunCaseAsync(c);
            if (reason is null) passed++;
            else failures.Add($"FAIL {c.RelativePath}: {reason}");
        }
        foreach (var f in failures) output.WriteLine(f);
        output.WriteLine($"conformance: {passed} passed, {failures.Count} failed");
        var floor = int.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "conformance-floor.txt")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(passed >= floor, $"{passed} conformance cases pass, below the floor of {floor}:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public async Task Every_case_that_uses_only_registered_node_types_passes()
    {
        var failures = new List<string>();
        foreach (var c in ConformanceCases.Load())
        {
            var types = c.NodeTypes().ToList();
            if (types.Count == 0 || !types.All(t => Engine.Registry.TryGet(t, out _))) continue;
            var reason = await RunCaseAsync(c);
            if (reason is not null) failures.Add($"{c.RelativePath}: {reason}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    internal static async Task<string?> RunCaseAsync(ConformanceCase c)
    {
        var body = new MemoryStream();
        int status;
        using (var writer = new Utf8JsonWriter(body, ValueJson.WriterOptions))
        {
            try
            {
                var workflow = Engine.Parse(c.WorkflowJson);
                var result = await Engine.ExecuteAsync(workflow);
                ExecutionResponseWriter.Write(writer, result, result.Duration);
                status = result.Success ? 200 : 500;
            }
            catch (WorkflowException ex)
            {
                ExecutionResponseWriter.WriteRejected(writer, ex);
                status = 400;
            }
        }
        var status400Only = c.Expect["status"] is not null ? status : (int?)null;
        return ConformanceChecker.Check(c.Expect, JsonNode.Parse(body.ToArray()), status400Only);
    }
}
