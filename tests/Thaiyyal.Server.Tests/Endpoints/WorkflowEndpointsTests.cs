using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

public sealed class WorkflowEndpointsTests
{
    [Fact]
    public async Task Execute_returns_200_with_results_and_both_execution_times()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        using var response = await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Addition);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Matches(@"^[0-9.]+(ns|µs|ms|s)$", body["execution_time"]!.GetValue<string>());
        Assert.True(body["execution_time_ms"]!.GetValue<double>() >= 0);
        var results = body["results"]!;
        Assert.Matches("^[0-9a-f]{16}$", results["execution_id"]!.GetValue<string>());
        Assert.Equal("add", results["workflow_id"]!.GetValue<string>());
        Assert.Equal(15, results["node_results"]!["3"]!.GetValue<double>());
        Assert.Equal(15, results["final_output"]!.GetValue<double>());
        Assert.Null(results["errors"]);
    }

    [Theory]
    [InlineData("not json", "invalid_payload")]
    [InlineData("""{"nodes":[{"id":"a","type":"number","data":{"value":"x"}}]}""", "invalid_payload")]
    [InlineData(Payloads.Cycle, "invalid_graph")]
    [InlineData(Payloads.UnknownType, "invalid_graph")]
    public async Task Execute_rejects_an_invalid_payload_or_graph_with_400(string payload, string kind)
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", payload);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(body!["success"]!.GetValue<bool>());
        Assert.Equal("Failed to create engine", body["error"]!.GetValue<string>());
        Assert.Equal(kind, body["error_kind"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["details"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_failing_node_is_422_with_partial_results_and_the_node_id()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.DivideByZero);
        Assert.Equal((HttpStatusCode)422, status);
        Assert.False(body!["success"]!.GetValue<bool>());
        Assert.Equal("Workflow execution failed", body["error"]!.GetValue<string>());
        Assert.Equal("node_failed", body["error_kind"]!.GetValue<string>());
        Assert.Equal("div", body["node_id"]!.GetValue<string>());
        Assert.Contains("division by zero", body["details"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, body["results"]!["node_results"]!["a"]!.GetValue<double>());
        Assert.Single(body["results"]!["errors"]!.AsArray());
        Assert.NotNull(body["execution_time"]);
    }

    [Fact]
    public async Task An_exhausted_run_budget_is_429()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0", "-max-node-executions", "3");
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Numbers(5));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("limit_exceeded", body!["error_kind"]!.GetValue<string>());
        Assert.Contains("maximum node executions exceeded: 4 (limit: 3)", body["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_execution_time_limit_is_504_and_cancels_the_node()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(RunningServer.Settings("-rate-limit", "0", "-max-execution-time", "200ms"),
            engine => engine.Registry.Register(sleep));
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Sleep(30_000));
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("timeout", body!["error_kind"]!.GetValue<string>());
        Assert.Contains("workflow execution timeout: exceeded 200ms", body["details"]!.GetValue<string>(), StringComparison.Ordinal);
        await sleep.Cancelled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_client_that_disconnects_cancels_its_run()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(RunningServer.Settings("-rate-limit", "0"), engine => engine.Registry.Register(sleep));
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
            var body = Encoding.UTF8.GetBytes(Payloads.Sleep(60_000));
            var head = $"POST /api/v1/workflow/execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body);
            await sleep.Started.WaitAsync(TimeSpan.FromSeconds(10));
        }
        await sleep.Cancelled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Runs_over_the_concurrency_cap_and_queue_get_429_with_retry_after()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(RunningServer.Settings("-rate-limit", "0", "-max-concurrent-runs", "1", "-run-queue-length", "0"),
            engine => engine.Registry.Register(sleep));
        using var cts = new CancellationTokenSource();
        var first = server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Sleep(60_000), cts.Token);
        await sleep.Started.WaitAsync(TimeSpan.FromSeconds(10));
        using (var second = await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Addition))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.Equal("1", second.Headers.RetryAfter!.ToString());
            Assert.Equal("Too many concurrent runs", JsonNode.Parse(await second.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }
        // A full replica is still ready (it answers quickly); only the full health report shows the saturation.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
        var (healthStatus, health) = await server.GetJsonAsync("/health");
        Assert.Equal(HttpStatusCode.OK, healthStatus);
        Assert.Equal("degraded", health!["checks"]!["capacity"]!["status"]!.GetValue<string>());
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await sleep.Cancelled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Oversized_bodies_get_413_and_non_json_bodies_415()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0", "-max-request-body-bytes", "100");
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Numbers(20));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("Failed to read request body", body!["error"]!.GetValue<string>());

        using var chunked = new StringContent(Payloads.Numbers(20), Encoding.UTF8, "application/json");
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workflow/validate") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Payloads.Numbers(20)))) };
        request.Content.Headers.ContentType = RunningServer.Json;
        request.Headers.TransferEncodingChunked = true;
        using (var response = await server.Client.SendAsync(request)) Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        using var form = await server.Client.PostAsync("/api/v1/workflow/execute", new StringContent("{}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }

    [Fact]
    public async Task Validate_finds_cycles_and_unknown_types_without_running()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        var (okStatus, ok) = await server.PostJsonForBodyAsync("/api/v1/workflow/validate", Payloads.Addition);
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal("""{"valid":true}""", ok!.ToJsonString());

        var (cycleStatus, cycle) = await server.PostJsonForBodyAsync("/api/v1/workflow/validate", Payloads.Cycle);
        Assert.Equal(HttpStatusCode.OK, cycleStatus);
        Assert.False(cycle!["valid"]!.GetValue<bool>());
        Assert.Contains("cycle", cycle["error"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);

        var (_, unknown) = await server.PostJsonForBodyAsync("/api/v1/workflow/validate", Payloads.UnknownType);
        Assert.False(unknown!["valid"]!.GetValue<bool>());
        Assert.Equal("n", unknown["node_id"]!.GetValue<string>());
        Assert.Contains("no_such_type", unknown["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
