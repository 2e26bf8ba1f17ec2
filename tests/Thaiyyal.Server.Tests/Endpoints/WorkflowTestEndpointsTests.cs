using System.Net;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.Storage;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

public sealed class WorkflowTestEndpointsTests
{
    private const string Route = "/api/v1/workflow/test";
    private static readonly string[] Open = ["-rate-limit", "0", "-read-rate-limit", "0"];

    /// <summary>A test file for <see cref="Payloads.Addition"/> (10 + 5), inline, with the cases given.</summary>
    private static string Inline(params string[] cases) =>
        $$$"""{"workflow": {{{Payloads.Addition}}}, "cases": [{{{string.Join(",", cases)}}}]}""";

    /// <summary>An http node at <paramref name="url"/> feeding an expression that reads its (decoded) body.</summary>
    private static string HttpWorkflow(string url) => $$$"""
        {"nodes":[{"id":"fetch","type":"http","data":{"url":"{{{url}}}","method":"GET"}},
                  {"id":"ok","type":"expression","data":{"expression":"input.ok"}}],
         "edges":[{"source":"fetch","target":"ok"}]}
        """;

    [Fact]
    public async Task Runs_the_cases_of_a_posted_workflow_and_reports_each_with_its_diff_and_node_path()
    {
        await using var server = await RunningServer.StartAsync(Open);
        var (status, body) = await server.PostJsonForBodyAsync(Route, Inline(
            """{"name":"adds","expect":{"node.3":15,"final_output":15}}""",
            """{"name":"set changes an input","set":{"1":{"value":1}},"expect":{"node.3":6}}""",
            """{"name":"wrong sum","expect":{"node.3":16},"assert":["node.3 > 100"]}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body!["success"]!.GetValue<bool>());
        Assert.Equal(2, body["passed"]!.GetValue<int>());
        Assert.Equal(1, body["failed"]!.GetValue<int>());
        Assert.Null(body["workflow_id"]);
        var cases = body["cases"]!.AsArray();
        Assert.Equal(["adds", "set changes an input", "wrong sum"], cases.Select(c => c!["name"]!.GetValue<string>()));
        Assert.True(cases[0]!["passed"]!.GetValue<bool>());
        Assert.Equal(15, cases[0]!["final_output"]!.GetValue<double>());
        Assert.Empty(cases[0]!["failures"]!.AsArray());
        Assert.Equal(6, cases[1]!["final_output"]!.GetValue<double>());

        var failures = cases[2]!["failures"]!.AsArray();
        Assert.Equal(["node.3", "assert[0]"], failures.Select(f => f!["check"]!.GetValue<string>()));
        var diff = failures[0]!["diff"]!.GetValue<string>();
        Assert.Contains("16", diff, StringComparison.Ordinal);
        Assert.Contains("15", diff, StringComparison.Ordinal);
        Assert.Equal("1", failures[0]!["node_path"]![0]!.GetValue<string>());
        Assert.Equal("3", failures[0]!["node_path"]!.AsArray().Last()!.GetValue<string>());
        Assert.Equal("node.3 > 100: is false", failures[1]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tests_a_stored_workflow_by_id_and_404s_an_unknown_one()
    {
        await using var server = await RunningServer.StartAsync(Open);
        var save = new JsonObject { ["name"] = "Addition", ["data"] = JsonNode.Parse(Payloads.Addition) }.ToJsonString();
        var (_, saved) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", save);
        var id = saved!["id"]!.GetValue<string>();

        var (status, body) = await server.PostJsonForBodyAsync(Route, $$$"""{"workflow":"{{{id}}}","cases":[{"name":"adds","expect":{"node.3":15}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["success"]!.GetValue<bool>());
        Assert.Equal(id, body["workflow_id"]!.GetValue<string>());

        var (missing, error) = await server.PostJsonForBodyAsync(Route, """{"workflow":"no-such-id","cases":[{"name":"x"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("workflow with ID no-such-id not found", error!["details"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stored_workflow_with_a_property_given_twice_is_tested_as_the_engine_reads_it_last_value_wins()
    {
        await using var server = await RunningServer.StartAsync(Open);
        // Stored as sent: the engine keeps the last value, so the first node is "1" and holds 10.
        var save = """{"name":"twice","data":{"nodes":[{"id":"x","type":"number","data":{"value":99,"value":10},"id":"1"},{"id":"2","type":"number","data":{"value":5}},{"id":"3","type":"operation","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},{"source":"2","target":"3"}]}}""";
        var (_, saved) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", save);
        var id = saved!["id"]!.GetValue<string>();

        var (status, body) = await server.PostJsonForBodyAsync(Route, $$$"""{"workflow":"{{{id}}}","cases":[{"name":"adds","expect":{"node.3":15}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["success"]!.GetValue<bool>(), body.ToJsonString());
    }

    [Theory]
    [InlineData("""{"workflow":"x","cases":[{"name":"a","expct":{}}]}""", "request: cases[0]: expct: unknown key")]
    [InlineData("""{"cases":[{"name":"a"}]}""", "request: workflow: missing")]
    [InlineData("""{"workflow":"x","cases":[{"name":"a","assert":["1 +"]}]}""", "request: cases[0] \"a\": assert[0]:")]
    [InlineData("not json", "request: file: invalid JSON")]
    [InlineData("""{"workflow":"x","cases":[{"name":"a","pin":{"b":1,"b":2}}]}""", "request: file: invalid JSON: Duplicate property 'b'")]
    [InlineData("""{"workflow":"x","cases":[{"name":"a","expect":{"final_output":1e999}}]}""", "request: cases[0]: value: number 1e999 is out of range")]
    public async Task An_invalid_test_file_is_400_naming_the_case_and_field(string file, string expected)
    {
        await using var server = await RunningServer.StartAsync(Open);
        var (status, body) = await server.PostJsonForBodyAsync(Route, file);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid test file", body!["error"]!.GetValue<string>());
        Assert.StartsWith(expected, body["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_naming_a_node_the_workflow_lacks_is_400()
    {
        await using var server = await RunningServer.StartAsync(Open);
        var (status, body) = await server.PostJsonForBodyAsync(Route, Inline("""{"name":"pins a ghost","pin":{"ghost":1}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("request: cases[0] \"pins a ghost\": pin.ghost: the workflow has no node with this id", body!["details"]!.GetValue<string>());
    }

    [Fact]
    public async Task More_cases_than_max_test_cases_is_400_before_any_runs()
    {
        await using var server = await RunningServer.StartAsync([.. Open, "-max-test-cases", "2"]);
        var (status, body) = await server.PostJsonForBodyAsync(Route, Inline("""{"name":"a"}""", """{"name":"b"}""", """{"name":"c"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("3 cases is more than this server runs in one request (max-test-cases: 2)", body!["details"]!.GetValue<string>(), StringComparison.Ordinal);
        var (ok, _) = await server.PostJsonForBodyAsync(Route, Inline("""{"name":"a"}""", """{"name":"b"}"""));
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task The_engine_limits_apply_to_every_case()
    {
        await using var server = await RunningServer.StartAsync([.. Open, "-max-node-executions", "2"]);
        var (status, body) = await server.PostJsonForBodyAsync(Route, Inline(
            """{"name":"runs out","expect":{"error_contains":"maximum node executions exceeded"}}""",
            """{"name":"expects a sum","expect":{"node.3":15}}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        var cases = body!["cases"]!.AsArray();
        Assert.True(cases[0]!["passed"]!.GetValue<bool>());
        Assert.Equal("limit_exceeded", cases[0]!["error"]!["kind"]!.GetValue<string>());
        Assert.False(cases[1]!["passed"]!.GetValue<bool>());
        Assert.Equal("error", cases[1]!["failures"]![0]!["check"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pinned_http_node_never_reaches_the_network()
    {
        using var target = new LoopbackTarget();
        await using var server = await RunningServer.StartAsync([.. Open, "-http-allow-localhost", "-http-allowed-ports="]);
        var file = $$$"""{"workflow": {{{HttpWorkflow(target.BaseUrl + "/")}}}, "cases": [{"name":"pinned","pin":{"fetch":{"ok":"pinned"}},"expect":{"node.ok":"pinned"}}]}""";
        var (status, body) = await server.PostJsonForBodyAsync(Route + "?allow_network=true", file);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["success"]!.GetValue<bool>());
        Assert.Empty(target.Authorizations);
    }

    [Fact]
    public async Task An_unpinned_http_node_fails_its_case_without_allow_network_even_when_the_server_could_reach_it()
    {
        using var target = new LoopbackTarget();
        await using var server = await RunningServer.StartAsync([.. Open, "-http-allow-localhost", "-http-allowed-ports="]);
        var file = $$$"""{"workflow": {{{HttpWorkflow(target.BaseUrl + "/")}}}, "cases": [{"name":"unpinned","expect":{"node.ok":true}}]}""";
        var (status, body) = await server.PostJsonForBodyAsync(Route, file);
        Assert.Equal(HttpStatusCode.OK, status);
        var failure = body!["cases"]![0]!["failures"]![0]!;
        Assert.Equal("network", failure["check"]!.GetValue<string>());
        Assert.StartsWith("http node 'fetch' is not pinned", failure["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(target.Authorizations);

        var (allowedStatus, allowed) = await server.PostJsonForBodyAsync(Route + "?allow_network=true", file);
        Assert.Equal(HttpStatusCode.OK, allowedStatus);
        Assert.True(allowed!["success"]!.GetValue<bool>(), allowed.ToJsonString());
        Assert.Single(target.Authorizations);
    }

    [Fact]
    public async Task With_allow_network_the_servers_SSRF_policy_still_blocks_loopback()
    {
        using var target = new LoopbackTarget();
        // The production profile's policy: no localhost, no private addresses.
        await using var server = await RunningServer.StartAsync(Open);
        var file = $$$"""{"workflow": {{{HttpWorkflow(target.BaseUrl + "/")}}}, "cases": [{"name":"blocked","expect":{"node.ok":true}}]}""";
        var (status, body) = await server.PostJsonForBodyAsync(Route + "?allow_network=true", file);
        Assert.Equal(HttpStatusCode.OK, status);
        var result = body!["cases"]![0]!;
        Assert.False(result["passed"]!.GetValue<bool>());
        Assert.Equal("fetch", result["error"]!["node_id"]!.GetValue<string>());
        Assert.DoesNotContain(result["failures"]!.AsArray(), f => f!["check"]!.GetValue<string>() == "network");
        Assert.Empty(target.Authorizations);
    }

    [Fact]
    public async Task A_bad_allow_network_value_is_400()
    {
        await using var server = await RunningServer.StartAsync(Open);
        var (status, body) = await server.PostJsonForBodyAsync(Route + "?allow_network=yes", Inline("""{"name":"a"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("allow_network must be true or false", body!["details"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_test_request_waits_for_run_admission_like_any_run()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(
            RunningServer.Settings([.. Open, "-max-concurrent-runs", "1", "-run-queue-length", "0"]), engine => engine.Registry.Register(sleep));
        using var holder = new CancellationTokenSource();
        var running = server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Sleep(60_000), holder.Token);
        await sleep.Started;

        var (status, body) = await server.PostJsonForBodyAsync(Route, Inline("""{"name":"a"}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("Too many concurrent runs", body!["error"]!.GetValue<string>());

        await holder.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await sleep.Cancelled;
    }

    [Fact]
    public async Task Node_types_registered_on_the_server_run_in_test_cases()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(RunningServer.Settings(Open), engine => engine.Registry.Register(sleep));
        var (status, body) = await server.PostJsonForBodyAsync(Route, $$$"""{"workflow": {{{Payloads.Sleep(1)}}}, "cases": [{"name":"sleeps","expect":{"skipped":[]}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_route_and_the_pinned_results_field_are_in_the_OpenAPI_document()
    {
        await using var server = await RunningServer.StartAsync(Open);
        var document = JsonNode.Parse(await server.Client.GetStringAsync("/openapi/v1.json"))!;
        var post = document["paths"]!["/api/v1/workflow/test"]!["post"]!;
        Assert.NotNull(post["requestBody"]!["content"]!["application/json"]);
        // The handler's typed results document every answer: the report on 200, the common error body otherwise.
        var responses = post["responses"]!.AsObject();
        Assert.Equal(["200", "400", "404", "408", "413", "415", "429", "503", "504"], responses.Select(r => r.Key).Order().ToArray());
        Assert.EndsWith("/WorkflowTestResponse", responses["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        foreach (var (status, response) in responses.Where(r => r.Key != "200"))
            Assert.EndsWith("/ErrorBody", response!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        // The execute payload documents its pinned_results field.
        var execute = document["paths"]!["/api/v1/workflow/execute"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.NotNull(execute["properties"]!["pinned_results"]);
    }
}
