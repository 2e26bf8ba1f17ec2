using System.Net;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Security;

/// <summary>
/// Issue 10, item 4 without <c>API_KEYS</c>: a random <c>X-API-Key</c> per request used to get a rate-limit bucket of its
/// own (209,524 answers in 60 s against 10/s). Against the real server binary: unknown keys share the address's bucket.
/// </summary>
public sealed class KeyFloodTests
{
    [Fact]
    public async Task Random_api_keys_share_the_address_bucket_and_the_server_stays_healthy()
    {
        await using var server = await HostileServer.StartAsync("-rate-limit", "5", "-rate-limit-burst", "5");
        var started = DateTime.UtcNow;
        var answers = new List<Answer>();
        for (var i = 0; i < 300; i++) answers.Add(await server.PostAsync("/api/v1/workflow/execute", Payloads.Addition, Guid.NewGuid().ToString()));
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        var admitted = answers.Count(a => a.Status == HttpStatusCode.OK);
        // One bucket: a burst of 5 and 5 a second. 300 buckets would have admitted all 300.
        Assert.True(admitted <= 5 + 5 * Math.Ceiling(seconds) + 1, $"{admitted} of 300 admitted in {seconds:0.0} s");
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a =>
            Assert.True(a.Status == HttpStatusCode.TooManyRequests && a.Error == "Rate limit exceeded", a.ToString()));
        Assert.Equal(300 - admitted, await server.MetricAsync("http_requests_rejected_total", "reason=\"rate_limit\""));
        await server.AssertHealthyAsync();
    }
}
