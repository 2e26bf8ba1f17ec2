using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

public sealed class ApiProtectionTests
{
    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_retry_after_and_health_stays_open()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0.5", "-rate-limit-burst", "2");
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await server.PostJsonForBodyAsync("/api/v1/workflow/validate", Payloads.Addition)).Status);
        using var limited = await server.PostJsonAsync("/api/v1/workflow/validate", Payloads.Addition);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("""{"success":false,"error":"Rate limit exceeded"}""", JsonNode.Parse(await limited.Content.ReadAsStringAsync())!.ToJsonString());
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Api_keys_guard_the_api_but_not_health_or_the_editor()
    {
        await using var server = await RunningServer.StartAsync("-api-keys", "secret-1,secret-2", "-read-rate-limit", "0");
        using var anonymous = await server.Client.GetAsync("/api/v1/nodes");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal("Unauthorized", JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "secret-3") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(wrong)).StatusCode);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "secret-2") } };
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(bearer)).StatusCode);
        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes") { Headers = { { "X-API-Key", "secret-1" } } };
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(header)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Metrics_can_require_the_api_key_or_be_disabled()
    {
        await using (var keyed = await RunningServer.StartAsync("-api-keys", "k", "-metrics-access", "api-key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await keyed.Client.GetAsync("/metrics")).StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-API-Key", "k" } } };
            Assert.Equal(HttpStatusCode.OK, (await keyed.Client.SendAsync(request)).StatusCode);
        }
        await using var disabled = await RunningServer.StartAsync("-metrics-access", "disabled");
        Assert.Equal(HttpStatusCode.NotFound, (await disabled.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Cors_is_same_origin_unless_origins_are_listed()
    {
        await using (var closed = await RunningServer.StartAsync())
        {
            using var preflight = Preflight("https://evil.example");
            using var response = await closed.Client.SendAsync(preflight);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }
        await using var open = await RunningServer.StartAsync("-cors-origins", "https://editor.example");
        using (var allowed = await open.Client.SendAsync(Preflight("https://editor.example")))
        {
            Assert.True(allowed.IsSuccessStatusCode);
            Assert.Equal("https://editor.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
        using var denied = await open.Client.SendAsync(Preflight("https://evil.example"));
        Assert.False(denied.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin) => new(HttpMethod.Options, "/api/v1/workflow/execute")
    {
        Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "content-type" } },
    };

    [Fact]
    public async Task Responses_carry_security_headers_and_a_request_id()
    {
        await using var server = await RunningServer.StartAsync();
        using var response = await server.Client.GetAsync("/health/live");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.NotEmpty(response.Headers.GetValues("X-Request-Id").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Unknown_api_paths_are_json_404_and_wrong_methods_json_405_with_allow()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        var (status, body) = await server.GetJsonAsync("/api/v1/nothing/here");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.False(body!["success"]!.GetValue<bool>());
        Assert.Equal("Not found", body["error"]!.GetValue<string>());

        using var wrong = await server.Client.GetAsync("/api/v1/workflow/execute");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Equal(["POST"], wrong.Content.Headers.Allow);
        Assert.Equal("Method not allowed", JsonNode.Parse(await wrong.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        using var deleteList = await server.Client.DeleteAsync("/api/v1/workflow/list");
        Assert.Equal(["GET"], deleteList.Content.Headers.Allow);
        using var getRegister = await server.Client.GetAsync("/api/v1/httpclient/register");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getRegister.StatusCode);
        Assert.Equal(["DELETE", "POST", "PUT"], getRegister.Content.Headers.Allow);
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_error_body()
    {
        await using var server = await RunningServer.StartAsync(RunningServer.Settings(), configureApp: app =>
            app.MapGet("/api/v1/test/boom", (HttpContext _) => throw new InvalidOperationException("boom")));
        var (status, body) = await server.GetJsonAsync("/api/v1/test/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("""{"success":false,"error":"Internal server error"}""", body!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task The_write_timeout_cuts_slow_responses_but_never_a_run_the_execution_limit_allows()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(
            RunningServer.Settings("-rate-limit", "0", "-write-timeout", "200ms", "-max-execution-time", "10s"),
            engine => engine.Registry.Register(sleep),
            configureApp: app => app.MapGet("/api/v1/test/slow", async (CancellationToken token) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), token);
                return "late";
            }));
        var (slowStatus, slow) = await server.GetJsonAsync("/api/v1/test/slow");
        Assert.Equal(HttpStatusCode.GatewayTimeout, slowStatus);
        Assert.Equal("Request timed out", slow!["error"]!.GetValue<string>());

        var (runStatus, run) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Sleep(1000));
        Assert.Equal(HttpStatusCode.OK, runStatus);
        Assert.Equal("slept", run!["results"]!["final_output"]!.GetValue<string>());
    }
}
