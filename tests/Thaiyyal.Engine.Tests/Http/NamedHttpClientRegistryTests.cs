using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Tests.Http;

public sealed class NamedHttpClientRegistryTests
{
    private static NamedHttpClientConfig Config(string uid = "a") => new() { Uid = uid, BaseUrl = "https://api.example.com" };

    [Fact]
    public void Register_list_replace_and_remove()
    {
        var registry = new NamedHttpClientRegistry();
        registry.Register(Config("b"));
        registry.Register(Config("a"));

        Assert.Equal(["a", "b"], registry.List());
        var replaced = registry.Replace(Config("a") with { Description = "v2" });
        Assert.True(registry.TryGet("a", out var current));
        Assert.Same(replaced, current);
        Assert.Equal("v2", current.Config.Description);
        Assert.True(registry.Remove("a"));
        Assert.False(registry.Remove("a"));
        Assert.Equal(["b"], registry.List());
    }

    [Fact]
    public void Duplicates_and_unknown_uids_are_named_errors()
    {
        var registry = new NamedHttpClientRegistry();
        registry.Register(Config());

        var duplicate = Assert.Throws<NamedHttpClientException>(() => registry.Register(Config()));
        Assert.Equal(NamedHttpClientError.AlreadyExists, duplicate.Error);
        Assert.Equal("client with UID \"a\" already exists", duplicate.Message);
        var missing = Assert.Throws<NamedHttpClientException>(() => registry.Replace(Config("zz")));
        Assert.Equal(NamedHttpClientError.NotFound, missing.Error);
        Assert.Equal("client with UID \"zz\" not found", missing.Message);
    }

    [Fact]
    public void The_registry_has_a_size_limit()
    {
        var registry = new NamedHttpClientRegistry(maxClients: 2);
        registry.Register(Config("a"));
        registry.Register(Config("b"));

        Assert.Equal(NamedHttpClientError.LimitReached, Assert.Throws<NamedHttpClientException>(() => registry.Register(Config("c"))).Error);
    }

    public static TheoryData<NamedHttpClientConfig, string> InvalidConfigs => new()
    {
        { new() { Uid = "" }, "client UID is required" },
        { new() { Uid = "x", Auth = new() { Type = "oauth" } }, "invalid auth_type: oauth (must be one of: none, basic, bearer, apikey)" },
        { new() { Uid = "x", Auth = new() { Type = "basic" } }, "basic_auth configuration is required for basic auth" },
        { new() { Uid = "x", Auth = new() { Type = "basic", Password = new Secret("p") } }, "username is required for basic auth" },
        { new() { Uid = "x", Auth = new() { Type = "basic", Username = "u" } }, "password is required for basic auth" },
        { new() { Uid = "x", Auth = new() { Type = "bearer" } }, "token configuration is required for bearer auth" },
        { new() { Uid = "x", Auth = new() { Type = "bearer", Token = Secret.Empty } }, "token is required for bearer auth" },
        { new() { Uid = "x", Auth = new() { Type = "apikey" } }, "api_key configuration is required for apikey auth" },
        { new() { Uid = "x", Auth = new() { Type = "apikey", ApiKeyValue = new Secret("v"), ApiKeyLocation = "header" } }, "api_key.key is required for apikey auth" },
        { new() { Uid = "x", Auth = new() { Type = "apikey", ApiKeyName = "k", ApiKeyLocation = "header" } }, "api_key.value is required for apikey auth" },
        { new() { Uid = "x", Auth = new() { Type = "apikey", ApiKeyName = "k", ApiKeyValue = new Secret("v"), ApiKeyLocation = "body" } }, "api_key.location must be 'header' or 'query'" },
        { new() { Uid = "x", Network = new() { Timeout = TimeSpan.FromSeconds(-1) } }, "timeout cannot be negative" },
        { new() { Uid = "x", Network = new() { MaxIdleConns = -1 } }, "max_idle_conns cannot be negative" },
        { new() { Uid = "x", Network = new() { TlsHandshakeTimeout = TimeSpan.FromSeconds(-1) } }, "tls_handshake_timeout cannot be negative" },
        { new() { Uid = "x", Security = new() { MaxRedirects = -1 } }, "max_redirects cannot be negative" },
        { new() { Uid = "x", Security = new() { MaxResponseSize = -1 } }, "max_response_size cannot be negative" },
        { new() { Uid = "x", Retry = new() { MaxRetries = 11 } }, "retry.max_retries cannot exceed 10" },
        { new() { Uid = "x", BaseUrl = "ftp://files.example.com" }, "base_url must be an absolute http or https URL" },
        { new() { Uid = "x", Headers = [new("Host", "evil")] }, "header not allowed: Host" },
        { new() { Uid = "x", Auth = new() { Type = "bearer", Token = new Secret("t") } }, "credentials need a base_url or security.allowed_domains to bind them to" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Invalid_configurations_are_refused_with_the_first_broken_rule(NamedHttpClientConfig config, string reason)
    {
        var ex = Assert.Throws<NamedHttpClientException>(() => new NamedHttpClientRegistry().Register(config));

        Assert.Equal(NamedHttpClientError.InvalidConfig, ex.Error);
        Assert.Equal($"invalid config: {reason}", ex.Message);
    }

    [Fact]
    public void Zero_values_take_the_defaults()
    {
        var client = new NamedHttpClientRegistry().Register(new NamedHttpClientConfig
        {
            Uid = "z",
            Network = new HttpClientNetwork { Timeout = TimeSpan.Zero, MaxConnsPerHost = 0 },
            Security = new HttpClientSecurity { MaxRedirects = 0, MaxResponseSize = 0 },
        });

        Assert.Equal(TimeSpan.FromSeconds(30), client.Config.Network.Timeout);
        Assert.Equal(100, client.Config.Network.MaxConnsPerHost);
        Assert.Equal(10, client.Config.Security.MaxRedirects);
        Assert.Equal(10 * 1024 * 1024, client.Config.Security.MaxResponseSize);
    }

    [Fact]
    public void Secrets_never_appear_when_a_configuration_is_printed()
    {
        var config = new NamedHttpClientConfig
        {
            Uid = "s",
            BaseUrl = "https://api.example.com",
            Auth = new HttpClientAuth { Type = "basic", Username = "ann", Password = new Secret("hunter2") },
        };

        var printed = config.ToString();

        Assert.DoesNotContain("hunter2", printed, StringComparison.Ordinal);
        Assert.Contains(Secret.Redacted, printed, StringComparison.Ordinal);
        Assert.Equal("", Secret.Empty.ToString());
    }

    [Fact]
    public async Task Concurrent_registrations_and_removals_leave_a_consistent_registry()
    {
        var registry = new NamedHttpClientRegistry(maxClients: 0);
        var retired = 0;
        registry.ClientRetired += _ => Interlocked.Increment(ref retired);

        await Parallel.ForAsync(0, 400, async (i, _) =>
        {
            var uid = $"c{i % 40}";
            try
            {
                if (i % 3 == 0) registry.Remove(uid);
                else if (i % 3 == 1) registry.Register(Config(uid));
                else registry.Replace(Config(uid));
            }
            catch (NamedHttpClientException)
            {
                // Duplicates and unknown uids are expected in the race; the registry must stay consistent.
            }
            await Task.Yield();
        });

        var listed = registry.List();
        Assert.Equal(registry.Count, listed.Count);
        Assert.All(listed, uid => Assert.True(registry.TryGet(uid, out var c) && c.Uid == uid));
        Assert.True(retired > 0);
    }
}
