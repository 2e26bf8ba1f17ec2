using System.Net;
using Thaiyyal.Server.Tests.Storage;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

/// <summary>The execute payload's <c>pinned_results</c>: pinned nodes do not run, their value is their result.</summary>
public sealed class PinnedResultsTests
{
    // Loopback is reachable for these servers, so a pinned http node that ran anyway would show up at the target.
    private static readonly string[] Reachable = ["-rate-limit", "0", "-read-rate-limit", "0", "-http-allow-localhost", "-http-allowed-ports="];

    private static string Payload(string url, string pins) => $$$"""
        {"nodes":[{"id":"fetch","type":"http","data":{"url":"{{{url}}}"}},
                  {"id":"doubled","type":"expression","data":{"expression":"input.price * 2"}}],
         "edges":[{"source":"fetch","target":"doubled"}],
         "pinned_results": {{{pins}}}}
        """;

    [Fact]
    public async Task A_pinned_node_does_not_run_and_its_value_flows_downstream()
    {
        using var target = new LoopbackTarget();
        await using var server = await RunningServer.StartAsync(Reachable);
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payload(target.BaseUrl + "/", """{"fetch":{"price":21}}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(21, body!["results"]!["node_results"]!["fetch"]!["price"]!.GetValue<double>());
        Assert.Equal(42, body["results"]!["final_output"]!.GetValue<double>());
        Assert.Empty(target.Authorizations);

        // Without the pin the same workflow calls the target (and its {"ok":true} has no price).
        var (unpinned, failed) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payload(target.BaseUrl + "/", "null"));
        Assert.Equal((HttpStatusCode)422, unpinned);
        Assert.Equal("doubled", failed!["node_id"]!.GetValue<string>());
        Assert.Single(target.Authorizations);
    }

    [Theory]
    [InlineData("""{"ghost":1}""", "pinned_results: the workflow has no node 'ghost'")]
    [InlineData("[1]", "pinned_results: must be an object of results by node id")]
    public async Task Malformed_pins_are_400_naming_the_problem(string pins, string details)
    {
        await using var server = await RunningServer.StartAsync(Reachable);
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payload("http://127.0.0.1:9/", pins));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_payload", body!["error_kind"]!.GetValue<string>());
        Assert.Equal(details, body["details"]!.GetValue<string>());
        var (asyncStatus, _) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute?mode=async", Payload("http://127.0.0.1:9/", pins));
        Assert.Equal(HttpStatusCode.BadRequest, asyncStatus);
    }

    [Fact]
    public async Task A_pin_over_the_array_limit_is_400()
    {
        await using var server = await RunningServer.StartAsync([.. Reachable, "-max-array-length", "3"]);
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payload("http://127.0.0.1:9/", """{"fetch":[1,2,3,4]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("pinned_results: ", body!["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_asynchronous_run_uses_its_pins_too()
    {
        using var target = new LoopbackTarget();
        await using var server = await RunningServer.StartAsync(Reachable);
        var id = await ExecutionClient.SubmitAsync(server, Payload(target.BaseUrl + "/", """{"fetch":{"price":5}}"""));
        var done = await ExecutionClient.WaitForFinishAsync(server, id);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal(10, done["final_output"]!.GetValue<double>());
        Assert.Empty(target.Authorizations);
    }
}
