using System.Diagnostics;
using System.Text.Json;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Tests.Support;

namespace Thaiyyal.Engine.Tests.Security;

/// <summary>Issue 10, item 1: a payload's regular expression cannot keep a core busy past the run's deadline.</summary>
[Collection(ProcessMeasurements.Name)]
public sealed class RegexTimeoutTests
{
    private static readonly string Catastrophic = "^(a+)+$";

    /// <summary>A text node holding <paramref name="inputJson"/>, parsed, then validated against <paramref name="schema"/>.</summary>
    private static string Validator(string schema, string inputJson) => $$$"""
        {"nodes":[{"id":"in","type":"text_input","data":{"text":{{{JsonSerializer.Serialize(inputJson)}}}}},
                  {"id":"p","type":"parse","data":{"input_type":"JSON"}},
                  {"id":"v","type":"schema_validator","data":{"schema":{{{schema}}}}}],
         "edges":[{"source":"in","target":"p"},{"source":"p","target":"v"}]}
        """;

    private static readonly string Evil = "\"" + new string('a', 40) + "!\"";

    [Fact]
    public async Task A_catastrophic_pattern_is_a_named_error()
    {
        var json = Validator($$$"""{"type":"string","pattern":"{{{Catastrophic}}}"}""", Evil);
        var result = await TestEngines.RunAsync(json, limits: ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.FromSeconds(10) });
        Assert.False(result.Success);
        Assert.Equal("v", result.Error!.NodeId);
        Assert.StartsWith("error executing node v: schema validation failed: regex match timeout: pattern ^(a+)+$", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pattern_properties_are_bounded_too()
    {
        var schema = """{"type":"object","patternProperties":{"^(a+)+$":{"type":"string"}}}""";
        var result = await TestEngines.RunAsync(Validator(schema, "{" + Evil + ": 1}"));
        Assert.Contains("regex match timeout", result.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_harmless_pattern_still_validates()
    {
        var result = await TestEngines.RunAsync(Validator($$$"""{"type":"string","pattern":"{{{Catastrophic}}}"}""", "\"aaaa\""));
        Assert.True(result.Success, result.Error?.Message);
        Assert.True(result.NodeResults["v"].AsObject()["valid"].AsBool());
    }

    [Fact]
    public async Task A_run_past_its_deadline_stops_using_cpu_within_a_second()
    {
        // Fifty strings that each need hours of backtracking; a 1 s deadline. CPU time, not the response, is measured:
        // the process's CPU consumed from start to a second after the run returned, minus the deadline, stays under 1 s
        // per core (a generous bound: without match timeouts it would be hours).
        var items = string.Join(",", Enumerable.Repeat(Evil, 50));
        var json = Validator($$$"""{"type":"array","items":{"type":"string","pattern":"{{{Catastrophic}}}"}}""", $"[{items}]");
        var deadline = TimeSpan.FromSeconds(1);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        var result = await TestEngines.RunAsync(json, limits: ExecutionLimits.Default with { MaxExecutionTime = deadline });
        Assert.False(result.Success);
        await Task.Delay(TimeSpan.FromSeconds(1));
        process.Refresh();
        var used = process.TotalProcessorTime - before;
        Assert.True(used - deadline < TimeSpan.FromSeconds(1), $"CPU used: {used.TotalMilliseconds} ms with a {deadline.TotalMilliseconds} ms deadline");
    }

    [Fact]
    public async Task A_run_its_client_abandons_stops_using_cpu_within_a_second()
    {
        // No deadline; the caller cancels after a second, as the server does when a client leaves. Shorter strings, so
        // that single matches may finish under the match timeout and the cancellation check between matches has to stop it.
        var items = string.Join(",", Enumerable.Repeat("\"" + new string('a', 24) + "!\"", 200));
        var json = Validator($$$"""{"type":"array","items":{"type":"string","pattern":"{{{Catastrophic}}}"}}""", $"[{items}]");
        var abandonAfter = TimeSpan.FromSeconds(1);
        using var abandoned = new CancellationTokenSource(abandonAfter);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        var result = await TestEngines.RunAsync(json, limits: ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.Zero }, cancellationToken: abandoned.Token);
        Assert.False(result.Success);
        await Task.Delay(TimeSpan.FromSeconds(1));
        process.Refresh();
        var used = process.TotalProcessorTime - before;
        Assert.True(used - abandonAfter < TimeSpan.FromSeconds(1), $"CPU used: {used.TotalMilliseconds} ms, abandoned after {abandonAfter.TotalMilliseconds} ms");
    }
}
