using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Traffic;

/// <summary>Issue 15.1 / 10.5: a busy replica queues and stays ready; one client cannot take every run slot.</summary>
// Reads http_requests_rejected_total, which every server in this process feeds: run with the other metric tests.
[Collection(ProcessWideMetrics.Name)]
public sealed class RunAdmissionTests
{
    private static string Delay(string duration) =>
        $$$"""{"nodes":[{"id":"v","type":"number","data":{"value":7}},{"id":"wait","type":"delay","data":{"duration":"{{{duration}}}"}}],"edges":[{"source":"v","target":"wait"}]}""";

    [Fact]
    public async Task With_one_cpu_five_concurrent_delays_all_run_and_readiness_stays_200()
    {
        // The reproduction: one CPU, default admission settings, five 3-second delays at once.
        await using var server = ServerProcess.Start(["-addr", "127.0.0.1:0", "-drain-delay", "0s"],
            new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "1" });
        var url = await server.WaitUntilListeningAsync();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        var runs = Enumerable.Range(0, 5)
            .Select(_ => client.PostAsync("/api/v1/workflow/execute", new StringContent(Delay("3s"), Encoding.UTF8, "application/json")))
            .ToList();
        for (var i = 0; i < 200 && server.LogRecords().Count(r => r["msg"]?.GetValue<string>() == "workflow execution started") < 5; i++)
            await Task.Delay(50);
        Assert.Equal(5, server.LogRecords().Count(r => r["msg"]?.GetValue<string>() == "workflow execution started"));
        Assert.All(runs, r => Assert.False(r.IsCompleted, "a 3-second run should still be in flight"));
        using (var ready = await client.GetAsync("/health/ready"))
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        foreach (var run in runs)
        {
            using var response = await run;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Eight_long_runs_from_one_client_do_not_starve_another_client()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(
            RunningServer.Settings("-rate-limit", "0", "-api-keys", "client-a,client-b", "-max-concurrent-runs", "6", "-run-queue-length", "2", "-max-runs-per-client", "4"),
            engine => engine.Registry.Register(sleep));
        using var cts = new CancellationTokenSource();
        var clientA = Enumerable.Range(0, 8).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workflow/execute") { Content = new StringContent(Payloads.Sleep(60_000), Encoding.UTF8, "application/json") };
            request.Headers.Add("X-API-Key", "client-a");
            return server.Client.SendAsync(request, cts.Token);
        }).ToList();

        // Four of A's runs hold slots; the other four are refused at once with a clear 429 and Retry-After.
        for (var i = 0; i < 400 && clientA.Count(t => t.IsCompleted) < 4; i++) await Task.Delay(50);
        var refused = clientA.Where(t => t.IsCompleted).ToList();
        Assert.Equal(4, refused.Count);
        foreach (var response in refused.Select(t => t.Result))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("Too many concurrent runs for this client", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }

        using var b = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workflow/execute") { Content = new StringContent(Payloads.Addition, Encoding.UTF8, "application/json") };
        b.Headers.Add("X-API-Key", "client-b");
        using var answer = await server.Client.SendAsync(b);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);

        await cts.CancelAsync();
        foreach (var run in clientA.Where(t => !t.IsCompletedSuccessfully)) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Only_a_full_queue_answers_429_and_readiness_still_says_ready()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(
            RunningServer.Settings("-rate-limit", "0", "-max-concurrent-runs", "1", "-run-queue-length", "1", "-max-runs-per-client", "0"),
            engine => engine.Registry.Register(sleep));
        using var cts = new CancellationTokenSource();
        var running = server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Sleep(60_000), cts.Token);
        await sleep.Started.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Sleep(60_000), cts.Token);
        // The queue holds the second run; poll the gauge until it is there.
        for (var i = 0; i < 200 && Scrape.Value(await server.Client.GetStringAsync("/metrics"), "workflow_runs_queued") != 1; i++) await Task.Delay(50);
        using var full = await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Addition);
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.Equal("1", full.Headers.RetryAfter!.ToString());
        Assert.Equal("Too many concurrent runs", JsonNode.Parse(await full.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Equal(1, Scrape.Value(metrics, "http_requests_rejected_total", "reason=\"run_queue_full\""));
        Assert.False(queued.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }
}
