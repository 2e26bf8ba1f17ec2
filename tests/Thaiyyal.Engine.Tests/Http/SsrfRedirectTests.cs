using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Tests.Http.Support;
using static Thaiyyal.Engine.Tests.Http.Support.HttpNodeRunner;

namespace Thaiyyal.Engine.Tests.Http;

/// <summary>
/// Redirect and rebinding attacks. A loopback server (allow-listed by the test) answers with redirects to
/// places the policy refuses; every hop must be checked again. Only the test's own loopback servers are
/// really dialled; everything else goes to the recording dialer.
/// </summary>
public sealed class SsrfRedirectTests
{
    private static Task<LoopbackServer> RedirectingServerAsync() => LoopbackServer.StartAsync(app =>
        app.MapGet("/go", (HttpContext c) => Results.Redirect(c.Request.Query["to"].ToString())));

    public static TheoryData<string, string> Targets => new()
    {
        { "http://10.0.0.1/", $"IP validation failed for 10.0.0.1: {SsrfBypassTests.Private}" },
        { "http://169.254.169.254/latest/meta-data/", SsrfBypassTests.LinkLocal },
        { "http://[::1]/", SsrfBypassTests.Localhost },
        { "http://localhost/", SsrfBypassTests.Localhost },
        { "http://internal.test/", $"IP validation failed for internal.test (10.1.2.3): {SsrfBypassTests.Private}" },
        { "http://metadata.google.internal/", SsrfBypassTests.Metadata },
        { "ftp://example.com/file", "URL scheme not allowed: ftp" },
        { "file:///etc/passwd", "URL scheme not allowed: file" },
        { "gopher://example.com/", "URL scheme not allowed: gopher" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_redirect_to_a_refused_target_fails_at_that_hop(string target, string reason)
    {
        await using var server = await RedirectingServerAsync();
        var dialer = new RecordingDialer(new IPEndPoint(IPAddress.Loopback, server.Port));
        using var http = new OutboundHttp(LoopbackAllowed with { AllowedPorts = [80, 443, server.Port] }, resolver: SsrfBypassTests.Resolver(), dialer: dialer);

        var error = await ErrorAsync(http, Data(server.Url($"/go?to={Uri.EscapeDataString(target)}")));

        Assert.Contains("HTTP request failed: redirect URL validation failed: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.All(dialer.Attempts, e => Assert.Equal(server.Port, e.Port)); // only the test's own server was dialled
    }

    [Fact]
    public async Task A_redirect_to_a_port_outside_the_allowed_set_is_refused()
    {
        await using var server = await RedirectingServerAsync();
        var dialer = new RecordingDialer(new IPEndPoint(IPAddress.Loopback, server.Port));
        using var http = new OutboundHttp(LoopbackAllowed with { AllowedPorts = [server.Port] }, resolver: SsrfBypassTests.Resolver(), dialer: dialer);

        var error = await ErrorAsync(http, Data(server.Url("/go?to=http://public.test:25/")));

        Assert.Contains($"redirect URL validation failed: port not allowed: 25 (allowed: [{server.Port}])", error, StringComparison.Ordinal);
        Assert.Single(dialer.Attempts);
    }

    [Fact]
    public async Task A_rebinding_name_cannot_change_its_address_between_check_and_connection()
    {
        var resolver = new FakeResolver().Sequence("rebind.test", ["93.184.216.34"], ["127.0.0.1"]);
        var dialer = new RecordingDialer();
        using var http = new OutboundHttp(resolver: resolver, dialer: dialer);

        // One lookup per connection, and the connection goes to the address that lookup returned.
        var first = await ErrorAsync(http, Data("http://rebind.test/"));
        Assert.Contains("HTTP request failed", first, StringComparison.Ordinal);
        Assert.Single(resolver.Lookups);
        Assert.Equal(["93.184.216.34:80"], dialer.Attempts.Select(e => e.ToString()));

        // The name now answers loopback: the next connection is refused without dialling.
        var second = await ErrorAsync(http, Data("http://rebind.test/"));
        Assert.Contains($"IP validation failed for rebind.test (127.0.0.1): {SsrfBypassTests.Localhost}", second, StringComparison.Ordinal);
        Assert.Single(dialer.Attempts);
    }

    [Fact]
    public async Task Credentials_are_not_sent_on_to_another_origin_after_a_redirect()
    {
        await using var collector = await LoopbackServer.StartAsync(app => app.MapGet("/collect", () => "collected"));
        await using var api = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/away", () => Results.Redirect($"http://other.test:{collector.Port}/collect"));
            app.MapGet("/same", () => Results.Redirect("/final"));
            app.MapGet("/final", () => "final");
        });
        var resolver = new FakeResolver().Map("other.test", "127.0.0.1");
        var dialer = new RecordingDialer(new IPEndPoint(IPAddress.Loopback, api.Port), new IPEndPoint(IPAddress.Loopback, collector.Port));
        using var http = new OutboundHttp(LoopbackAllowed, resolver: resolver, dialer: dialer);
        http.Clients.Register(new NamedHttpClientConfig
        {
            Uid = "api",
            BaseUrl = api.Url(),
            Auth = new HttpClientAuth { Type = HttpClientAuth.TypeBearer, Token = new Secret("s3cret-token") },
            Headers = [new("X-Client-Key", "client-secret")],
        });
        var headers = new System.Text.Json.Nodes.JsonObject { ["X-Node-Token"] = "node-secret", ["Accept"] = "text/plain", ["Authorization"] = "Basic bm9kZTpzZWNyZXQ=" };

        Assert.Equal("collected", (await ResultAsync(http, Data("/away", ("http_client_uid", "api"), ("headers", headers)))).AsString());

        var first = Assert.Single(api.Requests);
        Assert.Equal("Basic bm9kZTpzZWNyZXQ=", first.Header("Authorization")); // the node's own header wins on its origin
        Assert.Equal("client-secret", first.Header("X-Client-Key"));
        var forwarded = Assert.Single(collector.Requests);
        Assert.Null(forwarded.Header("Authorization"));
        Assert.Null(forwarded.Header("X-Client-Key"));
        Assert.Null(forwarded.Header("X-Node-Token"));
        Assert.Equal("text/plain", forwarded.Header("Accept"));

        // A redirect within the same origin keeps the client's credentials.
        Assert.Equal("final", (await ResultAsync(http, Data("/same", ("http_client_uid", "api")))).AsString());
        Assert.All(api.Requests.Skip(1), r => Assert.Equal("Bearer s3cret-token", r.Header("Authorization")));
    }

    [Fact]
    public async Task User_info_in_a_redirect_location_is_never_used()
    {
        await using var target = await LoopbackServer.StartAsync(app => app.MapGet("/t", () => "t"));
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/go", () => Results.Redirect($"http://attacker:chosen@127.0.0.1:{target.Port}/t")));
        using var http = new OutboundHttp(LoopbackAllowed);

        Assert.Equal("t", (await ResultAsync(http, Data(server.Url("/go")))).AsString());

        Assert.Null(Assert.Single(target.Requests).Header("Authorization"));
    }
}
