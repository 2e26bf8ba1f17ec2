using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Hosting;

/// <summary>The built server as a child process: exit codes, stdout logs, configuration from the real environment, signals.</summary>
public sealed class ServerProcessTests
{
    private static readonly string[] Loopback = ["-addr", "127.0.0.1:0", "-rate-limit", "0"];

    /// <summary>A delay node: the run takes about <paramref name="duration"/>.</summary>
    private static string Slow(string duration) =>
        $$$"""{"nodes":[{"id":"v","type":"number","data":{"value":7}},{"id":"wait","type":"delay","data":{"duration":"{{{duration}}}"}}],"edges":[{"source":"v","target":"wait"}]}""";

    [Fact]
    public async Task Sigterm_lets_the_in_flight_run_finish_refuses_new_connections_and_exits_0()
    {
        await using var server = ServerProcess.Start([.. Loopback, "-drain-delay", "300ms", "-shutdown-timeout", "10s"]);
        var url = await server.WaitUntilListeningAsync();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var run = client.PostAsync("/api/v1/workflow/execute", new StringContent(Slow("3s"), Encoding.UTF8, "application/json"));
        await WaitForLogAsync(server, "workflow execution started");
        server.Signal("TERM");

        // During the drain delay the server still answers, but readiness says 503.
        await WaitForLogAsync(server, "shutting down server");
        using (var ready = await new HttpClient().GetAsync(new Uri(url, "/health/ready")))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        // After the drain delay the listener is closed: new connections are refused while the run is still going.
        await Task.Delay(800);
        Assert.False(run.IsCompleted, "the slow run should still be in flight");
        await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, url.Port);
        });

        using var response = await run;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal(7, body["results"]!["node_results"]!["wait"]!["value"]!.GetValue<double>());
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        var messages = server.LogRecords().Select(r => r["msg"]!.GetValue<string>()).ToList();
        Assert.True(messages.IndexOf("shutting down server") < messages.IndexOf("workflow execution completed successfully"));
        Assert.Equal("server shutdown complete", messages[^1]);
    }

    [Fact]
    public async Task A_run_longer_than_the_shutdown_timeout_is_cancelled_with_a_clear_error_and_the_exit_is_still_0()
    {
        await using var server = ServerProcess.Start([.. Loopback, "-drain-delay", "0s", "-shutdown-timeout", "1s"]);
        var url = await server.WaitUntilListeningAsync();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var run = client.PostAsync("/api/v1/workflow/execute", new StringContent(Slow("30s"), Encoding.UTF8, "application/json"));
        await WaitForLogAsync(server, "workflow execution started");
        server.Signal("TERM");
        using var response = await run;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("workflow execution cancelled: the server is shutting down", body["details"]!.GetValue<string>());
        Assert.Equal("cancelled", body["error_kind"]!.GetValue<string>());
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Logs_are_json_lines_with_the_guide_keys_and_request_correlation()
    {
        await using var server = ServerProcess.Start([.. Loopback, "-drain-delay", "0s"], new Dictionary<string, string> { ["LOG_LEVEL"] = "debug" });
        var url = await server.WaitUntilListeningAsync();
        var traceId = "0af7651916cd43dd8448eb211c80319c";
        var (status, _) = await RawHttp.PostAsync(url, "/api/v1/workflow/execute",
            """{"workflow_id":"wf-123","nodes":[{"id":"a","type":"number","data":{"value":2}},{"id":"b","type":"number","data":{"value":3}},{"id":"sum","type":"operation","data":{"op":"add"}}],"edges":[{"source":"a","target":"sum"},{"source":"b","target":"sum"}]}""",
            ("traceparent", $"00-{traceId}-b7ad6b7169203331-01"));
        Assert.Equal(200, status);
        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));

        Assert.All(server.Stdout.Where(l => l.Length > 0), l => Assert.StartsWith("{", l, StringComparison.Ordinal));
        var records = server.LogRecords();
        Assert.All(records, r => Assert.Equal(["time", "level", "msg"], r.Select(p => p.Key).Take(3)));
        var completed = records.Single(r => r["msg"]!.GetValue<string>() == "workflow execution completed successfully");
        Assert.Equal("INFO", completed["level"]!.GetValue<string>());
        Assert.Equal("wf-123", completed["workflow_id"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{16}$", completed["execution_id"]!.GetValue<string>());
        Assert.True(completed["duration_ms"]!.GetValue<long>() >= 0);
        Assert.Equal(3, completed["nodes_executed"]!.GetValue<int>());
        Assert.Equal(traceId, completed["trace_id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(completed["request_id"]!.GetValue<string>()));

        var nodeDone = records.Where(r => r["msg"]!.GetValue<string>() == "node execution completed successfully").ToList();
        Assert.Equal(3, nodeDone.Count);
        Assert.All(nodeDone, r => Assert.Equal("DEBUG", r["level"]!.GetValue<string>()));
        var access = records.Single(r => r["msg"]!.GetValue<string>() == "http request" && r["path"]!.GetValue<string>() == "/api/v1/workflow/execute");
        Assert.Equal(["method", "path", "status_code", "duration_ms", "remote_addr"], access.Select(p => p.Key).Skip(3).Take(5));
        Assert.Equal(200, access["status_code"]!.GetValue<int>());
        Assert.DoesNotContain(server.Stdout, l => l.Contains("\"op\":\"add\"", StringComparison.Ordinal));   // no bodies in logs
        var config = records.Single(r => r["msg"]!.GetValue<string>() == "effective configuration");
        Assert.Equal("debug", config["log_level"]!.GetValue<string>());
        Assert.Equal("environment", config["sources"]!["log-level"]!.GetValue<string>());
    }

    [Fact]
    public async Task At_the_default_level_debug_records_are_dropped()
    {
        await using var server = ServerProcess.Start([.. Loopback, "-drain-delay", "0s"]);
        var url = await server.WaitUntilListeningAsync();
        await RawHttp.PostAsync(url, "/api/v1/workflow/execute", """{"nodes":[{"id":"a","type":"number","data":{"value":2}}]}""");
        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains(server.LogRecords(), r => r["msg"]!.GetValue<string>() == "workflow execution completed successfully");
        Assert.DoesNotContain(server.LogRecords(), r => r["level"]!.GetValue<string>() == "DEBUG");
    }

    [Fact]
    public async Task Environment_variables_configure_the_process_and_flags_override_them()
    {
        await using var server = ServerProcess.Start(["-rate-limit", "0", "-drain-delay", "0s", "-max-node-executions", "2"], new Dictionary<string, string>
        {
            ["SERVER_ADDR"] = "127.0.0.1:0",
            ["MAX_NODE_EXECUTIONS"] = "500",
            ["MAX_EXECUTION_TIME"] = "1m",
            ["THAIYYAL_PROFILE"] = "strict",
        });
        var url = await server.WaitUntilListeningAsync();
        Assert.Equal("127.0.0.1", url.Host);
        var (status, response) = await RawHttp.PostAsync(url, "/api/v1/workflow/execute", Payloads.Numbers(3));
        Assert.Equal(429, status);
        Assert.Contains("maximum node executions exceeded: 3 (limit: 2)", response, StringComparison.Ordinal);
        server.Signal("INT");
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        var config = server.LogRecords().Single(r => r["msg"]!.GetValue<string>() == "effective configuration");
        Assert.Equal("strict", config["profile"]!.GetValue<string>());
        Assert.Equal("1m", config["max_execution_time"]!.GetValue<string>());
        Assert.Equal("2", config["max_node_executions"]!.GetValue<string>());
        Assert.Equal("30s", config["write_timeout"]!.GetValue<string>());
        Assert.Equal("1000", config["max_array_length"]!.GetValue<string>());
        Assert.Equal("environment", config["sources"]!["max-execution-time"]!.GetValue<string>());
        Assert.Equal("flag", config["sources"]!["max-node-executions"]!.GetValue<string>());
        Assert.Equal("profile", config["sources"]!["max-array-length"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("MAX_EXECUTION_TIME", "forever", "invalid value \"forever\" for -max-execution-time (from environment variable MAX_EXECUTION_TIME)")]
    [InlineData("MAX_HTTP_CALLS", "-3", "invalid value \"-3\" for -max-http-calls (from environment variable MAX_HTTP_CALLS): must not be negative")]
    public async Task A_bad_environment_value_stops_start_up_with_exit_code_2(string variable, string value, string message)
    {
        await using var server = ServerProcess.Start(Loopback, new Dictionary<string, string> { [variable] = value });
        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains(message, server.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage: thaiyyal-server", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_trace_sampler_stops_start_up_with_exit_code_2()
    {
        await using var server = ServerProcess.Start(Loopback, new Dictionary<string, string> { ["OTEL_TRACES_SAMPLER"] = "sometimes" });
        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("invalid OTEL_TRACES_SAMPLER \"sometimes\"", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_flags_exit_2_and_help_exits_0()
    {
        await using (var bad = ServerProcess.Start(["-max-execution-time", "5 minutes"]))
        {
            Assert.Equal(2, await bad.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            Assert.Contains("for -max-execution-time (from the command line): not a duration", bad.Stderr, StringComparison.Ordinal);
        }
        await using (var unknown = ServerProcess.Start(["-frobnicate"]))
        {
            Assert.Equal(2, await unknown.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            Assert.Contains("flag provided but not defined: -frobnicate", unknown.Stderr, StringComparison.Ordinal);
        }
        await using var help = ServerProcess.Start(["-h"]);
        Assert.Equal(0, await help.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("-max-loop-iterations", help.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_exits_1_with_a_server_error()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        await using var server = ServerProcess.Start(["-addr", $"127.0.0.1:{port}"]);
        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Server error:", server.Stderr, StringComparison.Ordinal);
        // One error says why; the background services stopped with the host are not reported as failures of their own.
        var errors = server.LogRecords().Where(r => r["level"]!.GetValue<string>() == "ERROR").Select(r => r["msg"]!.GetValue<string>()).ToList();
        Assert.Contains("server failed to start", errors);
        Assert.DoesNotContain("BackgroundService failed", errors);
    }

    private static async Task WaitForLogAsync(ServerProcess server, string message)
    {
        for (var i = 0; i < 200; i++)
        {
            if (server.Stdout.Any(l => l.Contains($"\"msg\":\"{message}\"", StringComparison.Ordinal))) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no \"{message}\" record; stdout:\n{string.Join("\n", server.Stdout)}");
    }
}
