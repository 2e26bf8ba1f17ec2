using System.Net;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Tests.Http;

/// <summary>The address and host rules on their own, without requests.</summary>
public sealed class SsrfPolicyTests
{
    private static SsrfPolicy Policy(OutboundHttpOptions? options = null) => new(options ?? OutboundHttpOptions.Default);

    [Theory]
    [InlineData("127.0.0.1", SsrfReasons.Localhost)]
    [InlineData("0.0.0.0", SsrfReasons.Localhost)]
    [InlineData("::1", SsrfReasons.Localhost)]
    [InlineData("::", SsrfReasons.Localhost)]
    [InlineData("10.255.255.255", SsrfReasons.Private)]
    [InlineData("172.31.0.1", SsrfReasons.Private)]
    [InlineData("192.168.0.1", SsrfReasons.Private)]
    [InlineData("fd12:3456::1", SsrfReasons.Private)]
    [InlineData("169.254.0.1", SsrfReasons.LinkLocal)]
    [InlineData("169.254.169.254", SsrfReasons.LinkLocal)]
    [InlineData("fe80::abcd", SsrfReasons.LinkLocal)]
    [InlineData("100.100.100.200", SsrfReasons.CloudMetadata)]
    [InlineData("100.127.255.255", SsrfReasons.Reserved)]
    [InlineData("192.0.2.1", SsrfReasons.Reserved)]
    [InlineData("203.0.113.9", SsrfReasons.Reserved)]
    [InlineData("240.0.0.1", SsrfReasons.Reserved)]
    [InlineData("2001::1", SsrfReasons.Reserved)]
    [InlineData("3fff::1", SsrfReasons.Reserved)]
    [InlineData("100::1", SsrfReasons.Reserved)]
    [InlineData("::ffff:192.168.1.1", SsrfReasons.Private)]
    [InlineData("2002:c0a8:0101::1", SsrfReasons.Private)]
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fffe", SsrfReasons.Private)] // Teredo client 10.0.0.1 (bits inverted)
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe", SsrfReasons.Localhost)] // Teredo client 127.0.0.1
    public void Special_addresses_are_refused_with_their_reason(string address, string reason)
    {
        var block = Policy().CheckAddress(IPAddress.Parse(address));

        Assert.NotNull(block);
        Assert.Equal(reason, block.Reason);
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_pass(string address) => Assert.Null(Policy().CheckAddress(IPAddress.Parse(address)));

    [Fact]
    public void Each_switch_opens_its_category_only()
    {
        var privateOk = Policy(new OutboundHttpOptions { AllowPrivateIps = true });
        Assert.Null(privateOk.CheckAddress(IPAddress.Parse("10.0.0.1")));
        Assert.Equal(SsrfReasons.Localhost, privateOk.CheckAddress(IPAddress.Loopback)!.Reason);

        var linkLocalOk = Policy(new OutboundHttpOptions { AllowLinkLocal = true });
        Assert.Null(linkLocalOk.CheckAddress(IPAddress.Parse("169.254.1.1")));
        Assert.Equal(SsrfReasons.CloudMetadata, linkLocalOk.CheckAddress(IPAddress.Parse("169.254.169.254"))!.Reason);

        var metadataOk = Policy(new OutboundHttpOptions { AllowCloudMetadata = true });
        Assert.Null(metadataOk.CheckAddress(IPAddress.Parse("100.100.100.200")));
        Assert.Equal(SsrfReasons.LinkLocal, metadataOk.CheckAddress(IPAddress.Parse("169.254.169.254"))!.Reason);
    }

    [Fact]
    public void Allowed_networks_open_blocked_ranges_but_not_metadata_and_denied_networks_win()
    {
        var policy = Policy(new OutboundHttpOptions
        {
            AllowedNetworks = [IPNetwork.Parse("10.1.2.0/24"), IPNetwork.Parse("169.254.0.0/16")],
            BlockedNetworks = [IPNetwork.Parse("10.1.2.128/25"), IPNetwork.Parse("93.184.216.0/24")],
        });

        Assert.Null(policy.CheckAddress(IPAddress.Parse("10.1.2.3")));
        Assert.Equal(SsrfReasons.NetworkDenied, policy.CheckAddress(IPAddress.Parse("10.1.2.200"))!.Reason);
        Assert.Equal(SsrfReasons.NetworkDenied, policy.CheckAddress(IPAddress.Parse("93.184.216.34"))!.Reason);
        Assert.Equal(SsrfReasons.NetworkDenied, policy.CheckAddress(IPAddress.Parse("::ffff:93.184.216.34"))!.Reason);
        Assert.Equal(SsrfReasons.Private, policy.CheckAddress(IPAddress.Parse("10.1.3.1"))!.Reason);
        Assert.Equal(SsrfReasons.CloudMetadata, policy.CheckAddress(IPAddress.Parse("169.254.169.254"))!.Reason);
    }

    [Theory]
    [InlineData("api.example.com", null)]
    [InlineData("deep.api.example.com", null)]
    [InlineData("example.com", SsrfReasons.DomainNotAllowed)]
    [InlineData("exact.test", null)]
    [InlineData("sub.exact.test", SsrfReasons.DomainNotAllowed)]
    [InlineData("evil-example.com", SsrfReasons.DomainNotAllowed)]
    [InlineData("bad.example.com", SsrfReasons.DomainNotAllowed)]
    public void Host_lists_match_exactly_or_by_wildcard(string host, string? reason)
    {
        var policy = Policy(new OutboundHttpOptions { AllowedHosts = ["*.example.com", "EXACT.test."], BlockedHosts = ["bad.example.com"] });

        Assert.Equal(reason, policy.CheckHost(host, 443)?.Reason);
    }

    [Fact]
    public void Allow_list_and_deny_list_texts_are_the_originals()
    {
        var policy = Policy(new OutboundHttpOptions { AllowedHosts = ["a.test"], BlockedHosts = ["b.test"] });

        Assert.Equal("domain is blocked: b.test", policy.CheckHost("b.test", 80)!.Message);
        Assert.Equal("domain not in allowlist: c.test", policy.CheckHost("c.test", 80)!.Message);
    }

    [Fact]
    public void A_named_client_narrows_but_never_widens()
    {
        var engine = Policy(new OutboundHttpOptions { AllowPrivateIps = true });

        var narrowed = engine.Narrow(allowPrivateIps: false, allowLocalhost: true, allowLinkLocal: true, allowCloudMetadata: true, allowedHosts: ["example.com"]);

        Assert.Equal(SsrfReasons.Private, narrowed.CheckAddress(IPAddress.Parse("10.0.0.1"))!.Reason);
        Assert.Equal(SsrfReasons.Localhost, narrowed.CheckAddress(IPAddress.Loopback)!.Reason);
        Assert.Null(narrowed.CheckHost("api.example.com", 443));
        Assert.Equal("domain other.test is not in allowed domains list", narrowed.CheckHost("other.test", 443)!.Message);
    }

    [Theory]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0177.0.0.01", "127.0.0.1")]
    [InlineData("fe80::1%eth99", "fe80::1")]
    public void Numeric_host_spellings_are_read_as_addresses(string host, string address)
    {
        Assert.True(HostNames.TryParseAddress(host, out var parsed));
        Assert.Equal(IPAddress.Parse(address), new IPAddress(parsed.GetAddressBytes()));
    }

    [Theory]
    [InlineData("cafe")]
    [InlineData("1e100")]
    [InlineData("example.com")]
    [InlineData("999.1")]
    public void Names_stay_names(string host) => Assert.False(HostNames.TryParseAddress(host, out _));
}
