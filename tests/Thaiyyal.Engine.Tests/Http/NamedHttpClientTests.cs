using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Tests.Http.Support;
using static Thaiyyal.Engine.Tests.Http.Support.HttpNodeRunner;

namespace Thaiyyal.Engine.Tests.Http;

/// <summary>Named clients used by <c>http</c> nodes against a loopback server the test allow-lists.</summary>
public sealed class NamedHttpClientTests : IAsyncLifetime, IDisposable
{
    private LoopbackServer _server = null!;
    private OutboundHttp _http = null!;
    private int _flaky;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app =>
        {
            app.Map("/whoami", (HttpContext c) => Results.Json(new
            {
                authorization = c.Request.Headers.Authorization.ToString(),
                api_key = c.Request.Headers["X-Api-Key"].ToString(),
                accept = c.Request.Headers.Accept.ToString(),
                query = c.Request.QueryString.Value,
                path = c.Request.Path.Value,
            }));
            app.Map("/flaky", () => Interlocked.Increment(ref _flaky) <= 2 ? Results.StatusCode(503) : Results.Text("finally"));
            app.MapGet("/moved", () => Results.Redirect("/whoami"));
            app.MapGet("/big", () => Results.Text(new string('z', 5000)));
        });
        _http = new OutboundHttp(LoopbackAllowed);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private NamedHttpClientConfig Client(HttpClientAuth? auth = null) => new()
    {
        Uid = "api",
        BaseUrl = _server.Url("/"),
        Auth = auth ?? HttpClientAuth.None,
    };

    private async Task<JsonObject> WhoAmIAsync(string url = "/whoami")
    {
        var value = await ResultAsync(_http, Data(url, ("http_client_uid", "api")));
        return JsonNode.Parse(value.ToString())!.AsObject();
    }

    [Fact]
    public async Task Basic_auth_is_sent_to_the_clients_origin()
    {
        _http.Clients.Register(Client(new HttpClientAuth { Type = HttpClientAuth.TypeBasic, Username = "ann", Password = new Secret("pw:1") }));

        Assert.Equal("Basic YW5uOnB3OjE=", (string?)(await WhoAmIAsync())["authorization"]);
    }

    [Fact]
    public async Task Bearer_tokens_are_sent_and_a_replaced_secret_takes_effect()
    {
        _http.Clients.Register(Client(new HttpClientAuth { Type = HttpClientAuth.TypeBearer, Token = new Secret("old") }));
        Assert.Equal("Bearer old", (string?)(await WhoAmIAsync())["authorization"]);

        _http.Clients.Replace(Client(new HttpClientAuth { Type = HttpClientAuth.TypeBearer, Token = new Secret("new") }));
        Assert.Equal("Bearer new", (string?)(await WhoAmIAsync())["authorization"]);
    }

    [Fact]
    public async Task Api_keys_go_in_a_header_or_the_query()
    {
        _http.Clients.Register(Client(new HttpClientAuth { Type = HttpClientAuth.TypeApiKey, ApiKeyName = "X-Api-Key", ApiKeyValue = new Secret("k1"), ApiKeyLocation = "header" }));
        Assert.Equal("k1", (string?)(await WhoAmIAsync())["api_key"]);

        _http.Clients.Replace(Client(new HttpClientAuth { Type = HttpClientAuth.TypeApiKey, ApiKeyName = "key", ApiKeyValue = new Secret("k 2"), ApiKeyLocation = "query" }));
        Assert.Equal("?key=k%202", (string?)(await WhoAmIAsync())["query"]);
    }

    [Fact]
    public async Task Default_headers_and_query_parameters_are_added_and_relative_urls_use_the_base()
    {
        _http.Clients.Register(Client() with
        {
            BaseUrl = _server.Url("/"),
            Headers = [new("Accept", "application/vnd.test+json")],
            QueryParams = [new("per_page", "100")],
        });

        var who = await WhoAmIAsync("whoami?page=2");

        Assert.Equal("/whoami", (string?)who["path"]);
        Assert.Equal("?page=2&per_page=100", (string?)who["query"]);
        Assert.Equal("application/vnd.test+json", (string?)who["accept"]);
    }

    [Fact]
    public async Task Credentials_are_not_sent_to_an_absolute_url_outside_the_base_origin()
    {
        await using var other = await LoopbackServer.StartAsync(app => app.MapGet("/x", () => "x"));
        _http.Clients.Register(Client(new HttpClientAuth { Type = HttpClientAuth.TypeBearer, Token = new Secret("t") }));

        await ResultAsync(_http, Data(other.Url("/x"), ("http_client_uid", "api")));

        Assert.Null(Assert.Single(other.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_every_attempt_counts_against_the_budget()
    {
        _http.Clients.Register(Client() with { Retry = new HttpClientRetry { MaxRetries = 3, Delay = TimeSpan.Zero } });

        Assert.Equal("finally", (await ResultAsync(_http, Data("/flaky", ("http_client_uid", "api")))).AsString());
        Assert.Equal(3, _server.Requests.Count);

        _flaky = 0;
        var error = await ErrorAsync(_http, Data("/flaky", ("http_client_uid", "api")), ExecutionLimits.Default with { MaxHttpCalls = 2 });
        Assert.Contains("maximum HTTP calls per execution exceeded: 3 (limit: 2)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posts_are_not_retried_unless_the_client_says_so()
    {
        _http.Clients.Register(Client() with { Retry = new HttpClientRetry { MaxRetries = 3, Delay = TimeSpan.Zero } });

        Assert.Contains("error status: 503", await ErrorAsync(_http, Data("/flaky", ("http_client_uid", "api"), ("method", "POST"))), StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_client_that_does_not_follow_redirects_returns_the_redirect()
    {
        _http.Clients.Register(Client() with { Security = new HttpClientSecurity { FollowRedirects = false } });

        Assert.Contains("HTTP request returned error status: 302", await ErrorAsync(_http, Data("/moved", ("http_client_uid", "api"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_clients_response_size_limit_is_enforced()
    {
        _http.Clients.Register(Client() with { Security = new HttpClientSecurity { MaxResponseSize = 4096 } });

        Assert.Contains("response too large (exceeds 4096 bytes limit)", await ErrorAsync(_http, Data("/big", ("http_client_uid", "api"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_allow_list_narrows_the_hosts_it_may_reach()
    {
        _http.Clients.Register(Client() with { BaseUrl = "", Security = new HttpClientSecurity { AllowedDomains = ["api.example.com"] } });

        var error = await ErrorAsync(_http, Data(_server.Url("/whoami"), ("http_client_uid", "api")));

        Assert.Contains("URL validation failed: domain 127.0.0.1 is not in allowed domains list", error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_removed_client_is_unknown()
    {
        _http.Clients.Register(Client());
        await WhoAmIAsync();
        Assert.True(_http.Clients.Remove("api"));

        Assert.Equal("error executing node call: unknown HTTP client 'api'", await ErrorAsync(_http, Data("/whoami", ("http_client_uid", "api"))));
    }
}
