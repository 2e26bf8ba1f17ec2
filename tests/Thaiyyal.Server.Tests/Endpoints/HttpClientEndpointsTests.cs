using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Thaiyyal.Engine.Http;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

/// <summary>The named-client API and its use by http nodes through the running server.</summary>
public sealed class HttpClientEndpointsTests
{
    private static readonly string[] NoRateLimits = ["-rate-limit", "0", "-read-rate-limit", "0"];

    private static string Register(string config) => $$"""{"config":{{config}}}""";

    private const string Bearer = """{"uid":"api","base_url":"https://api.example.com","auth":{"type":"bearer","token":{"token":"s3cret-value"}}}""";

    [Fact]
    public async Task Register_list_replace_and_delete_without_ever_returning_a_secret()
    {
        await using var server = await RunningServer.StartAsync(NoRateLimits);

        var (status, registered) = await server.PostJsonForBodyAsync("/api/v1/httpclient/register", Register(Bearer));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("""{"success":true,"message":"HTTP client registered successfully","uid":"api"}""", registered!.ToJsonString());

        using (var list = await server.Client.GetAsync("/api/v1/httpclient/list"))
        {
            var text = await list.Content.ReadAsStringAsync();
            Assert.Equal("""{"success":true,"clients":["api"],"count":1}""", JsonNode.Parse(text)!.ToJsonString());
            Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        }

        using (var replace = await server.Client.PutAsync("/api/v1/httpclient/api",
            new StringContent(Register(Bearer.Replace("s3cret-value", "rotated", StringComparison.Ordinal)), RunningServer.Json)))
        {
            Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
            Assert.Equal("""{"success":true,"message":"HTTP client updated successfully","uid":"api"}""", JsonNode.Parse(await replace.Content.ReadAsStringAsync())!.ToJsonString());
        }
        var outbound = server.App.Services.GetRequiredService<OutboundHttp>();
        Assert.True(outbound.Clients.TryGet("api", out var current));
        Assert.Equal(new Secret("rotated"), current.Config.Auth.Token);

        using (var delete = await server.Client.DeleteAsync("/api/v1/httpclient/api"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }
        using (var again = await server.Client.DeleteAsync("/api/v1/httpclient/api"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            Assert.Equal("client with UID \"api\" not found", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }
        var (_, empty) = await server.GetJsonAsync("/api/v1/httpclient/list");
        Assert.Equal("""{"success":true,"clients":[],"count":0}""", empty!.ToJsonString());
    }

    [Theory]
    [InlineData("{}", 400, "config is required", null)]
    [InlineData("""{"config":null}""", 400, "config is required", null)]
    [InlineData("""{"config":{"uid":"x","auth":{"type":"bearer","token":{}}}}""", 400, "Failed to create HTTP client: invalid config: token is required for bearer auth", null)]
    [InlineData("""{"config":{"uid":"x","auth":{"type":"digest"}}}""", 400, "Failed to create HTTP client: invalid config: invalid auth_type: digest (must be one of: none, basic, bearer, apikey)", null)]
    [InlineData("""{"config":{"uid":"x","auth":{"type":"bearer","token":{"token":"t"}}}}""", 400, "Failed to create HTTP client: invalid config: credentials need a base_url or security.allowed_domains to bind them to", null)]
    [InlineData("""{"config":{"uid":"x","auth":{"type":"bearer","token":{"token":987654}}}}""", 400, "Failed to parse request", "token: expected a string, got number")]
    [InlineData("""{"config":{"uid":"x","network":{"timeout":"soon"}}}""", 400, "Failed to parse request", "timeout: expected a duration")]
    [InlineData("""[1]""", 400, "Failed to parse request", "the body must be a JSON object")]
    [InlineData("""{"config":""", 400, "Failed to parse request", null)]
    public async Task Bad_registrations_get_the_originals_errors(string body, int status, string error, string? details)
    {
        await using var server = await RunningServer.StartAsync(NoRateLimits);

        var (actualStatus, response) = await server.PostJsonForBodyAsync("/api/v1/httpclient/register", body);

        Assert.Equal(status, (int)actualStatus);
        Assert.False(response!["success"]!.GetValue<bool>());
        Assert.Equal(error, response["error"]!.GetValue<string>());
        if (details is not null) Assert.Contains(details, response["details"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("987654", response.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_uid_is_a_conflict_and_replace_checks_the_uid()
    {
        await using var server = await RunningServer.StartAsync(NoRateLimits);
        await server.PostJsonForBodyAsync("/api/v1/httpclient/register", Register(Bearer));

        var (status, duplicate) = await server.PostJsonForBodyAsync("/api/v1/httpclient/register", Register(Bearer));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Failed to register HTTP client: client with UID \"api\" already exists", duplicate!["error"]!.GetValue<string>());

        using var unknown = await server.Client.PutAsync("/api/v1/httpclient/nope", new StringContent(Register("""{"base_url":"https://a.example"}"""), RunningServer.Json));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("client with UID \\\"nope\\\" not found", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var mismatch = await server.Client.PutAsync("/api/v1/httpclient/api", new StringContent(Register("""{"uid":"other"}"""), RunningServer.Json));
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
    }

    [Fact]
    public async Task Http_nodes_are_refused_loopback_by_default_even_through_a_named_client()
    {
        await using var server = await RunningServer.StartAsync(NoRateLimits);
        await server.PostJsonForBodyAsync("/api/v1/httpclient/register", Register("""{"uid":"inside","base_url":"http://127.0.0.1/","security":{"allow_localhost":true}}"""));

        var (plainStatus, plain) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute",
            """{"nodes":[{"id":"h","type":"http","data":{"url":"http://2130706433/admin"}}],"edges":[]}""");
        var (namedStatus, named) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute",
            """{"nodes":[{"id":"h","type":"http","data":{"url":"/admin","http_client_uid":"inside"}}],"edges":[]}""");
        var (_, unknown) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute",
            """{"nodes":[{"id":"h","type":"http","data":{"url":"http://127.0.0.1/","http_client_uid":"missing"}}],"edges":[]}""");

        Assert.NotEqual(HttpStatusCode.OK, plainStatus);
        Assert.Contains("localhost addresses are blocked", plain!.ToJsonString(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, namedStatus);
        Assert.Contains("localhost addresses are blocked", named!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("unknown HTTP client 'missing'", unknown!["details"]!.GetValue<string>(), StringComparison.Ordinal);
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Matches("""ssrf_blocked_total\{[^}]*reason="localhost"[^}]*\} [1-9]""", metrics);
    }

    [Fact]
    public async Task A_registered_client_authenticates_to_a_target_the_operator_allowed()
    {
        var received = new ConcurrentQueue<string>();
        await using var target = await StartTargetAsync(received);
        await using var server = await RunningServer.StartAsync([.. NoRateLimits, "-http-allowed-networks", "127.0.0.1/32", "-http-allowed-ports", $"{target.Port}"]);
        await server.PostJsonForBodyAsync("/api/v1/httpclient/register",
            Register($"{{\"uid\":\"svc\",\"base_url\":\"http://127.0.0.1:{target.Port}/\",\"auth\":{{\"type\":\"bearer\",\"token\":{{\"token\":\"tok\"}}}}}}"));

        var (status, run) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute",
            """{"nodes":[{"id":"h","type":"http","data":{"url":"/hello","http_client_uid":"svc"}}],"edges":[]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hi", run!["results"]!["final_output"]!.GetValue<string>());
        Assert.Equal(["Bearer tok"], received);
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Matches("""http_calls_total\{[^}]*http_host="127\.0\.0\.1"[^}]*http_method="GET"[^}]*http_status_code="200"[^}]*\} [1-9]""", metrics);
        Assert.Contains("http_call_duration_bucket{", metrics, StringComparison.Ordinal);
    }

    private sealed class Target(WebApplication app, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }

    private static async Task<Target> StartTargetAsync(ConcurrentQueue<string> authorizations)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/hello", (HttpContext c) =>
        {
            authorizations.Enqueue(c.Request.Headers.Authorization.ToString());
            return Results.Text("hi", "text/plain");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Target(app, new Uri(address).Port);
    }
}
