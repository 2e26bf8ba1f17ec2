using System.Net;
using System.Text;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Traffic;

/// <summary>Issue 15.2 / 10.4: rate-limit partitions are accepted keys, else the real client address.</summary>
// Reads http_requests_rejected_total, which every server in this process feeds: run with the other metric tests.
[Collection(ProcessWideMetrics.Name)]
public sealed class ClientPartitionTests
{
    // One request per bucket, refilled only after ~17 minutes: each bucket admits exactly one request in a test.
    private static readonly string[] OneRequestPerClient = ["-rate-limit", "0.001", "-rate-limit-burst", "1"];

    private static async Task<HttpStatusCode> ValidateAsync(RunningServer server, string? forwardedFor = null, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workflow/validate") { Content = new StringContent(Payloads.Addition, Encoding.UTF8, "application/json") };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (key is not null) request.Headers.Add("X-API-Key", key);
        using var response = await server.Client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Forwarded_clients_of_a_trusted_proxy_get_a_bucket_each()
    {
        await using var server = await RunningServer.StartAsync([.. OneRequestPerClient, "-trusted-proxies", "127.0.0.0/8,::1"]);
        for (var i = 1; i <= 30; i++) Assert.Equal(HttpStatusCode.OK, await ValidateAsync(server, $"203.0.113.{i}"));
        // The buckets are real: the same forwarded client again is over its rate.
        Assert.Equal(HttpStatusCode.TooManyRequests, await ValidateAsync(server, "203.0.113.7"));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_peer_are_ignored()
    {
        await using var server = await RunningServer.StartAsync([.. OneRequestPerClient, "-trusted-proxies", "10.0.0.0/8"]);
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 30; i++) statuses.Add(await ValidateAsync(server, $"203.0.113.{i}"));
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.All(statuses.Skip(1), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Equal(29, Scrape.Value(metrics, "http_requests_rejected_total", "reason=\"rate_limit\""));
    }

    [Fact]
    public async Task Random_api_keys_get_no_buckets_of_their_own()
    {
        await using (var open = await RunningServer.StartAsync(OneRequestPerClient))
        {
            Assert.Equal(HttpStatusCode.OK, await ValidateAsync(open, key: Guid.NewGuid().ToString()));
            for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.TooManyRequests, await ValidateAsync(open, key: Guid.NewGuid().ToString()));
        }

        await using var guarded = await RunningServer.StartAsync([.. OneRequestPerClient, "-api-keys", "good-key"]);
        // Ten wrong keys are 401s, after that the address is slowed down: 429, counted apart.
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.Unauthorized, await ValidateAsync(guarded, key: Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ValidateAsync(guarded, key: Guid.NewGuid().ToString()));
        // The valid key has its own bucket, untouched by the failures from the same address.
        Assert.Equal(HttpStatusCode.OK, await ValidateAsync(guarded, key: "good-key"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ValidateAsync(guarded, key: "good-key"));
        var metrics = await guarded.Client.GetStringAsync("/metrics");
        Assert.Equal(10, Scrape.Value(metrics, "http_requests_rejected_total", "reason=\"unauthorized\""));
        Assert.Equal(1, Scrape.Value(metrics, "http_requests_rejected_total", "reason=\"auth_rate_limit\""));
        Assert.Equal(1, Scrape.Value(metrics, "http_requests_rejected_total", "reason=\"rate_limit\""));
    }

    [Fact]
    public async Task The_first_scrape_has_every_rejection_reason_at_zero_plus_start_time_and_build_info()
    {
        await using var server = await RunningServer.StartAsync();
        var metrics = await server.Client.GetStringAsync("/metrics");
        foreach (var reason in Thaiyyal.Server.Telemetry.RejectionReason.All)
            Assert.Equal(0, Scrape.Value(metrics, "http_requests_rejected_total", $"reason=\"{reason}\""));
        foreach (var family in new[] { "workflow_executions_total", "workflow_executions_success_total", "workflow_executions_failure_total" })
            Assert.Equal(0, Scrape.Value(metrics, family, "workflow_id=\"\""));
        Assert.True(Scrape.Value(metrics, "process_start_time_seconds") > 1.7e9);
        Assert.Equal(1, Scrape.Value(metrics, "thaiyyal_build_info", "version=\"", "commit=\""));
        Assert.Equal(64, Scrape.Value(metrics, "workflow_run_slots"));
        Assert.Equal(0, Scrape.Value(metrics, "workflow_runs_in_flight"));
    }
}
