using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Thaiyyal.Server.Hosting;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Storage;

namespace Thaiyyal.Server.Tests.Health;

public sealed class HealthEndpointsTests
{
    private const string Timestamp = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$";
    private const string Duration = @"^(\d+h)?(\d+m)?\d+(\.\d+)?(ns|µs|ms|s)$";

    [Fact]
    public async Task A_degraded_check_is_in_the_body_at_every_call_but_not_logged_at_every_call()
    {
        var store = new GatedStore(await TestStores.Open());
        var log = new CapturedLog();
        await using var server = await RunningServer.StartAsync(RunningServer.Settings("-log-level", "warn"), configureServices: services =>
        {
            services.AddSingleton<IThaiyyalStore>(store);
            services.AddSingleton<ILoggerProvider>(log);
        });
        store.ReportUnhealthy("disk nearly full");

        for (var probe = 0; probe < 3; probe++)
        {
            var (status, body) = await server.GetJsonAsync("/health");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("disk nearly full", body!["checks"]!["store"]!["error"]!.GetValue<string>());
        }
        // ASP.NET Core's health check service logged a WARN for the degraded check at each of them.
        Assert.DoesNotContain(log.Records, r => r.Message.StartsWith("Health check ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Full_health_has_the_guide_body_with_every_check()
    {
        await using var server = await RunningServer.StartAsync();
        using var response = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["status", "service_name", "service_version", "uptime", "timestamp", "checks"], body.Select(p => p.Key));
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        Assert.Equal("thaiyyal-workflow-engine", body["service_name"]!.GetValue<string>());
        Assert.Equal("0.1.0", body["service_version"]!.GetValue<string>());
        Assert.Matches(Duration, body["uptime"]!.GetValue<string>());
        Assert.Matches(Timestamp, body["timestamp"]!.GetValue<string>());
        var checks = body["checks"]!.AsObject();
        Assert.Equal(["engine", "shutdown", "capacity", "store"], checks.Select(p => p.Key));
        foreach (var (_, check) in checks)
        {
            Assert.Equal("healthy", check!["status"]!.GetValue<string>());
            Assert.Matches(Timestamp, check["last_checked"]!.GetValue<string>());
            Assert.Null(check["error"]);
        }
    }

    [Fact]
    public async Task Liveness_has_no_checks_and_answers_any_method()
    {
        await using var server = await RunningServer.StartAsync();
        var (status, body) = await server.GetJsonAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["status", "service_name", "service_version", "uptime", "timestamp"], body!.AsObject().Select(p => p.Key));
        using var post = await server.Client.PostAsync("/health/live", null);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
    }

    [Fact]
    public async Task Readiness_is_503_while_draining_and_full_health_reports_why()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
        server.App.Services.GetRequiredService<ServerState>().MarkDraining();
        var (status, body) = await server.GetJsonAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body!["status"]!.GetValue<string>());
        Assert.Equal("server is shutting down", body["checks"]!["shutdown"]!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public void Readiness_is_not_ready_before_start()
    {
        var state = new ServerState(TimeProvider.System);
        Assert.Equal(ServerPhase.Starting, state.Phase);
        state.MarkReady();
        Assert.Equal(ServerPhase.Ready, state.Phase);
        state.MarkDraining();
        state.MarkReady();
        Assert.Equal(ServerPhase.Draining, state.Phase);
    }

    [Fact]
    public async Task Busy_run_slots_make_health_degraded_but_not_failing()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(RunningServer.Settings("-rate-limit", "0", "-max-concurrent-runs", "1", "-run-queue-length", "5"),
            engine => engine.Registry.Register(sleep));
        using var cts = new CancellationTokenSource();
        var run = server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Sleep(60_000), cts.Token);
        await sleep.Started.WaitAsync(TimeSpan.FromSeconds(10));
        var (status, body) = await server.GetJsonAsync("/health");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", body!["status"]!.GetValue<string>());
        Assert.Equal("all 1 run slots are busy", body["checks"]!["capacity"]!["error"]!.GetValue<string>());
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
