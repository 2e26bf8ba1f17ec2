using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Traffic;

/// <summary>Issue 15.3 / 10.7: with the default timeline, SIGTERM finishes runs, answers every request and exits within Docker's 10 s.</summary>
// Reads http_requests_rejected_total, which every server in this process feeds: run with the other metric tests.
[Collection(ProcessWideMetrics.Name)]
public sealed class ShutdownTests
{
    private static readonly string[] Defaults = ["-addr", "127.0.0.1:0", "-rate-limit", "0", "-read-rate-limit", "0"];

    private static StringContent Delay(string duration) => new(
        $$$"""{"nodes":[{"id":"v","type":"number","data":{"value":7}},{"id":"wait","type":"delay","data":{"duration":"{{{duration}}}"}}],"edges":[{"source":"v","target":"wait"}]}""",
        Encoding.UTF8, "application/json");

    private static async Task WaitForLogAsync(ServerProcess server, string message)
    {
        for (var i = 0; i < 400 && !server.Stdout.Any(l => l.Contains($"\"msg\":\"{message}\"", StringComparison.Ordinal)); i++) await Task.Delay(50);
        Assert.Contains(server.Stdout, l => l.Contains($"\"msg\":\"{message}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigterm_with_default_timings_finishes_the_run_refuses_a_new_one_cleanly_and_exits_0_within_10s()
    {
        await using var server = ServerProcess.Start(Defaults);
        var url = await server.WaitUntilListeningAsync();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var first = client.PostAsync("/api/v1/workflow/execute", Delay("2s"));
        await WaitForLogAsync(server, "workflow execution started");
        var signalled = Stopwatch.StartNew();
        server.Signal("TERM");
        await WaitForLogAsync(server, "shutting down server");

        using (var second = await client.PostAsync("/api/v1/workflow/execute", Delay("2s")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
            Assert.True(second.Headers.ConnectionClose);
            Assert.NotNull(second.Headers.RetryAfter);
            Assert.Equal("Server is shutting down", JsonNode.Parse(await second.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }
        using (var response = await first)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["success"]!.GetValue<bool>());
        }
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(10) - signalled.Elapsed));
    }

    [Fact]
    public async Task Under_keep_alive_load_every_request_that_reaches_the_server_is_answered()
    {
        // Eight clients reuse keep-alive connections until SIGTERM; each request is answered (the last one with
        // Connection: close during the drain), none is dropped with a reset when the listener closes.
        // The default timeline: during the 3 s drain every keep-alive connection gets a Connection: close answer.
        await using var server = ServerProcess.Start(Defaults);
        var url = await server.WaitUntilListeningAsync();
        using var stop = new CancellationTokenSource();
        var answered = 0;
        var refused = 0;
        var unanswered = new List<string>();
        async Task LoadAsync()
        {
            using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.PostAsync("/api/v1/workflow/execute", new StringContent(Payloads.Addition, Encoding.UTF8, "application/json"));
                    await response.Content.ReadAsByteArrayAsync();
                    Interlocked.Increment(ref answered);
                    // Like a load balancer, a client told "Connection: close" by a draining replica goes elsewhere.
                    if (response.Headers.ConnectionClose == true) return;
                }
                catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                {
                    // The listener is closed: the request never reached the server.
                    Interlocked.Increment(ref refused);
                    return;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
                {
                    lock (unanswered) unanswered.Add(ex.GetType().Name + ": " + ex.Message + " / " + ex.InnerException?.Message);
                }
            }
        }
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(LoadAsync)).ToList();
        for (var i = 0; i < 400 && Volatile.Read(ref answered) < 200; i++) await Task.Delay(25);
        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.True(answered >= 200, $"load did not run: {answered} answers");
        Assert.True(unanswered.Count == 0, $"{unanswered.Count} requests reached the server and got no answer: {string.Join("; ", unanswered.Distinct().Take(5))}");
    }

    [Fact]
    public async Task A_flood_of_rejections_is_logged_once_per_client_and_counted_in_full()
    {
        await using var server = ServerProcess.Start(["-addr", "127.0.0.1:0", "-rate-limit", "0.001", "-rate-limit-burst", "1"]);
        var url = await server.WaitUntilListeningAsync();
        using var client = new HttpClient { BaseAddress = url };
        for (var i = 0; i < 50; i++)
            using (await client.PostAsync("/api/v1/workflow/validate", new StringContent(Payloads.Addition, Encoding.UTF8, "application/json"))) { }
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Equal(49, Scrape.Value(metrics, "http_requests_rejected_total", "reason=\"rate_limit\""));
        var rejections = server.LogRecords().Where(r => r["msg"]?.GetValue<string>() == "request rejected").ToList();
        var record = Assert.Single(rejections);
        Assert.Equal("rate_limit", record["reason"]!.GetValue<string>());
        Assert.Equal("ip:127.0.0.1", record["client"]!.GetValue<string>());
    }
}
