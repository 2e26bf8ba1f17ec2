using System.Text.Json;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Tests.Http;

public sealed class NamedHttpClientJsonTests
{
    private static NamedHttpClientConfig Read(string json) => NamedHttpClientJson.Read(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void The_register_apis_example_is_read()
    {
        var config = Read("""
            {
              "uid": "github-api-client",
              "description": "optional",
              "base_url": "https://api.github.com",
              "auth": { "type": "bearer", "token": { "token": "secret" } },
              "network": { "timeout": 30000000000 },
              "security": { "allowed_domains": ["api.github.com"], "follow_redirects": true, "max_redirects": 5 },
              "headers": [ { "key": "Accept", "value": "application/json" } ],
              "query_params": [ { "key": "per_page", "value": "100" } ]
            }
            """);

        Assert.Equal("github-api-client", config.Uid);
        Assert.Equal("https://api.github.com", config.BaseUrl);
        Assert.Equal(HttpClientAuth.TypeBearer, config.Auth.Type);
        Assert.Equal("secret", config.Auth.Token!.Reveal());
        Assert.Equal(TimeSpan.FromSeconds(30), config.Network.Timeout);
        Assert.Equal(["api.github.com"], config.Security.AllowedDomains);
        Assert.Equal(5, config.Security.MaxRedirects);
        Assert.Equal([new KeyValuePair<string, string>("Accept", "application/json")], config.Headers);
        Assert.Equal([new KeyValuePair<string, string>("per_page", "100")], config.QueryParams);
        Assert.Null(config.WithDefaults().Validate());
    }

    [Theory]
    [InlineData("""{"timeout": 1500000000}""", 1500)]
    [InlineData("""{"timeout": "1.5s"}""", 1500)]
    [InlineData("""{"timeout_ms": 1500}""", 1500)]
    public void Durations_are_nanoseconds_strings_or_milliseconds(string network, int millis)
    {
        var config = Read($$"""{"uid":"d","network":{{network}}}""");

        Assert.Equal(TimeSpan.FromMilliseconds(millis), config.Network.Timeout);
    }

    [Fact]
    public void Follow_redirects_defaults_to_true_and_missing_auth_objects_stay_missing()
    {
        var config = Read("""{"uid":"x","auth":{"type":"basic"}}""");

        Assert.True(config.Security.FollowRedirects);
        Assert.Equal("invalid config: basic_auth configuration is required for basic auth",
            Assert.Throws<NamedHttpClientException>(() => new NamedHttpClientRegistry().Register(config)).Message);
    }

    [Theory]
    [InlineData("""{"uid": 5}""", "uid: expected a string, got number")]
    [InlineData("""{"uid":"x","network":{"timeout":"soon"}}""", "timeout: expected a duration")]
    [InlineData("""{"uid":"x","security":{"allowed_domains":"a.com"}}""", "allowed_domains: expected an array")]
    [InlineData("""{"uid":"x","headers":[{"key":"A","value":1}]}""", "value: expected a string, got number")]
    [InlineData("""{"uid":"x","auth":{"type":"bearer","token":{"token":12345}}}""", "token: expected a string, got number")]
    [InlineData("""[]""", "config: expected an object")]
    public void Wrong_shapes_are_json_errors_that_never_echo_values(string json, string message)
    {
        var ex = Assert.Throws<JsonException>(() => Read(json));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("12345", ex.Message, StringComparison.Ordinal);
    }
}
