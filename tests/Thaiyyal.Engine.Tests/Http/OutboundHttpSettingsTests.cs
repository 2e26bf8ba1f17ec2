using System.Net;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Tests.Http;

public sealed class OutboundHttpSettingsTests
{
    private static OutboundHttpOptions Read(params (string Name, string Value)[] settings)
    {
        var map = settings.ToDictionary(s => s.Name, s => s.Value);
        return OutboundHttpSettings.Read(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void Unset_settings_keep_the_defaults()
    {
        var options = Read();

        Assert.True(options.Enabled);
        Assert.Equal([80, 443], options.AllowedPorts);
        Assert.False(options.AllowPrivateIps);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(10, options.MaxRedirects);
        Assert.Equal(10 * 1024 * 1024, options.MaxResponseBytes);
    }

    [Fact]
    public void Every_setting_is_read()
    {
        var options = Read(
            ("HTTP_ENABLED", "false"),
            ("HTTP_ALLOWED_DOMAINS", "api.example.com, *.example.org"),
            ("HTTP_BLOCKED_DOMAINS", "evil.test"),
            ("HTTP_ALLOWED_NETWORKS", "10.1.2.0/24,192.168.5.5"),
            ("HTTP_BLOCKED_NETWORKS", "203.0.113.0/24"),
            ("HTTP_ALLOW_PRIVATE_IPS", "1"),
            ("HTTP_ALLOW_LOCALHOST", "yes"),
            ("HTTP_ALLOW_LINK_LOCAL", "TRUE"),
            ("HTTP_ALLOW_CLOUD_METADATA", "off"),
            ("HTTP_ALLOWED_PORTS", "443, 8443"),
            ("HTTP_MAX_REDIRECTS", "3"),
            ("HTTP_MAX_RESPONSE_BYTES", "1048576"),
            ("HTTP_TIMEOUT", "5s"));

        Assert.False(options.Enabled);
        Assert.Equal(["api.example.com", "*.example.org"], options.AllowedHosts);
        Assert.Equal(["evil.test"], options.BlockedHosts);
        Assert.Equal([IPNetwork.Parse("10.1.2.0/24"), IPNetwork.Parse("192.168.5.5/32")], options.AllowedNetworks);
        Assert.Equal([IPNetwork.Parse("203.0.113.0/24")], options.BlockedNetworks);
        Assert.True(options.AllowPrivateIps && options.AllowLocalhost && options.AllowLinkLocal);
        Assert.False(options.AllowCloudMetadata);
        Assert.Equal([443, 8443], options.AllowedPorts);
        Assert.Equal(3, options.MaxRedirects);
        Assert.Equal(1048576, options.MaxResponseBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("any")]
    public void An_empty_or_wildcard_port_list_allows_any_port(string value) => Assert.Empty(Read(("HTTP_ALLOWED_PORTS", value)).AllowedPorts);

    [Theory]
    [InlineData("HTTP_ENABLED", "maybe", "HTTP_ENABLED: 'maybe' is not a boolean")]
    [InlineData("HTTP_ALLOWED_PORTS", "80,http", "HTTP_ALLOWED_PORTS: 'http' is not a port number")]
    [InlineData("HTTP_ALLOWED_PORTS", "70000", "is not a port number")]
    [InlineData("HTTP_ALLOWED_NETWORKS", "10.0.0.0/33", "is not a CIDR network")]
    [InlineData("HTTP_MAX_REDIRECTS", "-1", "HTTP_MAX_REDIRECTS: '-1' is not a non-negative whole number")]
    [InlineData("HTTP_TIMEOUT", "soon", "HTTP_TIMEOUT: invalid duration format: soon")]
    public void Malformed_settings_are_errors_that_name_the_setting(string name, string value, string message)
    {
        var ex = Assert.Throws<FormatException>(() => Read((name, value)));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
