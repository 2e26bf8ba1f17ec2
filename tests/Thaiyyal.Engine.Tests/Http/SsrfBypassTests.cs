using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Tests.Http.Support;
using static Thaiyyal.Engine.Tests.Http.Support.HttpNodeRunner;

namespace Thaiyyal.Engine.Tests.Http;

/// <summary>
/// Known SSRF bypass tricks, each sent through a real <c>http</c> node with the default policy. Names resolve
/// through an injected resolver and connections go to a dialer that only records: nothing here opens a socket.
/// Every attempt must fail with its named reason before any connection is attempted.
/// </summary>
public sealed class SsrfBypassTests
{
    internal const string Localhost = "localhost addresses are blocked (set allow_localhost=true to permit)";
    internal const string Private = "private IP addresses are blocked (set allow_private_ips=true to permit)";
    internal const string LinkLocal = "link-local addresses are blocked (set allow_link_local=true to permit)";
    internal const string Metadata = "cloud metadata endpoints are blocked (set allow_cloud_metadata=true to permit)";
    internal const string Reserved = "reserved or special-purpose addresses are blocked";

    public static TheoryData<string, string> Attempts => new()
    {
        // IPv4 literal spellings of loopback that resolvers (inet_aton) accept.
        { "http://127.0.0.1/", $"IP validation failed for 127.0.0.1: {Localhost}" },
        { "http://2130706433/", Localhost },
        { "http://0177.0.0.1/", Localhost },
        { "http://0x7f.1/", Localhost },
        { "http://127.1/", Localhost },
        { "http://0x7f000001/", Localhost },
        { "http://017700000001/", Localhost },
        { "http://0x7f.0x0.0x0.0x1/", Localhost },
        { "http://127.0.0.1./", Localhost },
        { "http://127.255.255.254/", Localhost },
        { "http://0/", Localhost },
        { "http://0.0.0.0/", Localhost },
        { "HTTP://127.0.0.1:80/", Localhost },
        { "http://\uff11\uff12\uff17.0.0.1/", Localhost },
        { "http://127\u30020\u30020\u30021/", Localhost },
        // Credentials and fragments that make the host look like something else.
        { "http://user:pass@127.0.0.1/", Localhost },
        { "http://example.com@127.0.0.1/", Localhost },
        { "http://127.0.0.1#@example.com/", Localhost },
        // IPv6 spellings of loopback and of private IPv4 addresses.
        { "http://[::1]/", Localhost },
        { "http://[0:0:0:0:0:0:0:1]/", Localhost },
        { "http://[::]/", Localhost },
        { "http://[::ffff:127.0.0.1]/", $"{Localhost}; 127.0.0.1 is embedded in an IPv4-mapped IPv6 address" },
        { "http://[::ffff:7f00:1]/", Localhost },
        { "http://[::127.0.0.1]/", "IPv4-compatible" },
        { "http://[64:ff9b::7f00:1]/", "NAT64" },
        { "http://[64:ff9b::a00:1]/", Private },
        { "http://[64:ff9b:1::a00:1]/", Private },
        { "http://[2002:7f00:1::]/", "6to4" },
        { "http://[2002:a9fe:a9fe::]/", LinkLocal },
        { "http://[::ffff:8.8.8.8]/", "IPv4-mapped" },
        // Private, link-local (with a zone id), metadata and other special-purpose addresses.
        { "http://10.0.0.1/", Private },
        { "http://172.16.5.4/", Private },
        { "http://192.168.1.1/", Private },
        { "http://012.0.0.1/", Private },
        { "http://[fc00::1]/", Private },
        { "http://[fd00:ec2::254]/", Private },
        { "http://169.254.169.254/latest/meta-data/", LinkLocal },
        { "http://0xa9fea9fe/", LinkLocal },
        { "http://[fe80::1]/", LinkLocal },
        { "http://[fe80::1%25eth0]/", LinkLocal },
        { "http://100.100.100.200/", Metadata },
        { "http://100.64.0.1/", $"{Reserved} (carrier-grade NAT 100.64.0.0/10)" },
        { "http://0.1.2.3/", "this network" },
        { "http://192.0.0.8/", Reserved },
        { "http://198.18.0.1/", "benchmarking" },
        { "http://224.0.0.1/", "multicast" },
        { "http://255.255.255.255/", Reserved },
        { "http://[ff02::1]/", "multicast" },
        { "http://[2001:db8::1]/", "documentation" },
        { "http://[fec0::1]/", "site-local" },
        // Names blocked without a lookup.
        { "http://localhost/", Localhost },
        { "http://LOCALHOST./", Localhost },
        { "http://api.localhost/", Localhost },
        { "http://metadata.google.internal/computeMetadata/v1/", Metadata },
        { "http://metadata.azure.com/", Metadata },
        // Names that resolve to addresses the policy refuses; every address is checked.
        { "http://internal.test/", $"IP validation failed for internal.test (10.1.2.3): {Private}" },
        { "http://meta.test/", LinkLocal },
        { "http://alibaba.test/", Metadata },
        { "http://cgnat.test/", "carrier-grade NAT" },
        { "http://mixed.test/", $"IP validation failed for mixed.test (127.0.0.1): {Localhost}" },
        { "http://mapped.test/", Private },
        { "http://v6.test/", LinkLocal },
        { "http://nat64.test/", "NAT64" },
        // A lookup that fails is a refusal, not a pass.
        { "http://nxdomain.test/", "could not resolve host: nxdomain.test" },
        { "http://empty.test/", "could not resolve host: empty.test" },
        // Other schemes and ports.
        { "file:///etc/passwd", "URL scheme not allowed: file (allowed: [http https])" },
        { "gopher://example.com/", "URL scheme not allowed: gopher" },
        { "ftp://example.com/", "URL scheme not allowed: ftp" },
        { "dict://example.com:11211/", "URL scheme not allowed: dict" },
        { "javascript:alert(1)", "URL scheme not allowed: javascript" },
        { "example.com/no-scheme", "URL scheme not allowed:  (allowed: [http https])" },
        { "http://public.test:22/", "port not allowed: 22 (allowed: [80 443])" },
        { "http://public.test:6379/", "port not allowed: 6379" },
    };

    internal static FakeResolver Resolver() => new FakeResolver()
        .Map("public.test", "93.184.216.34")
        .Map("internal.test", "10.1.2.3")
        .Map("meta.test", "169.254.169.254")
        .Map("alibaba.test", "100.100.100.200")
        .Map("cgnat.test", "100.64.1.1")
        .Map("mixed.test", "93.184.216.34", "127.0.0.1")
        .Map("mapped.test", "::ffff:10.0.0.1")
        .Map("v6.test", "fe80::1")
        .Map("nat64.test", "64:ff9b::5db8:d822")
        .Map("empty.test");

    [Theory]
    [MemberData(nameof(Attempts))]
    public async Task Bypass_attempt_is_refused_with_its_reason_before_any_connection(string url, string reason)
    {
        var dialer = new RecordingDialer();
        using var http = new OutboundHttp(resolver: Resolver(), dialer: dialer);

        var error = await ErrorAsync(http, Data(url));

        Assert.StartsWith("error executing node call: URL validation failed: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Empty(dialer.Attempts);
    }

    [Fact]
    public void The_battery_has_at_least_forty_attempts() => Assert.True(Attempts.Count >= 40);

    [Fact]
    public async Task A_named_client_whose_base_url_is_private_is_blocked()
    {
        var dialer = new RecordingDialer();
        using var http = new OutboundHttp(resolver: Resolver(), dialer: dialer);
        http.Clients.Register(new NamedHttpClientConfig
        {
            Uid = "internal",
            BaseUrl = "http://10.0.0.5/",
            Security = new HttpClientSecurity { AllowPrivateIps = true }, // a client cannot widen the engine's policy
        });

        var error = await ErrorAsync(http, Data("/admin", ("http_client_uid", "internal")));

        Assert.Contains($"URL validation failed: IP validation failed for 10.0.0.5: {Private}", error, StringComparison.Ordinal);
        Assert.Empty(dialer.Attempts);
    }

    [Fact]
    public async Task A_named_client_with_a_private_name_is_blocked_at_connect_time()
    {
        var dialer = new RecordingDialer();
        using var http = new OutboundHttp(resolver: Resolver(), dialer: dialer);
        http.Clients.Register(new NamedHttpClientConfig { Uid = "svc", BaseUrl = "http://internal.test/" });

        var error = await ErrorAsync(http, Data("/x", ("http_client_uid", "svc")));

        Assert.Contains($"IP validation failed for internal.test (10.1.2.3): {Private}", error, StringComparison.Ordinal);
        Assert.Empty(dialer.Attempts);
    }

    [Fact]
    public async Task An_unknown_client_uid_fails_and_never_falls_back_to_an_unchecked_client()
    {
        var dialer = new RecordingDialer();
        using var http = new OutboundHttp(resolver: Resolver(), dialer: dialer);

        var error = await ErrorAsync(http, Data("http://127.0.0.1/", ("http_client_uid", "x")));

        Assert.Equal("error executing node call: unknown HTTP client 'x'", error);
        Assert.Empty(dialer.Attempts);
    }

    [Fact]
    public async Task A_public_name_passes_the_guard_and_is_dialled_only_at_the_address_that_was_checked()
    {
        var dialer = new RecordingDialer();
        using var http = new OutboundHttp(resolver: Resolver(), dialer: dialer);

        var error = await ErrorAsync(http, Data("http://public.test/"));

        Assert.Contains("HTTP request failed", error, StringComparison.Ordinal); // the recording dialer refuses
        Assert.Equal(["93.184.216.34:80"], dialer.Attempts.Select(e => e.ToString()));
    }
}
