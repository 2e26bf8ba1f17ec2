using System.Net;

namespace Thaiyyal.Engine.Http;

/// <summary>
/// The host's policy for outbound HTTP from workflows (security.md §2.6). Everything is denied that is not
/// a public address on an allowed scheme and port; the switches below open specific doors. A named client
/// can narrow this policy but never widen it, and no node field can change it.
/// </summary>
public sealed record OutboundHttpOptions
{
    /// <summary>The global switch (<c>HTTP_ENABLED</c>): false fails every <c>http</c> node.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Schemes a request or a redirect may use (<c>http</c> and <c>https</c>; nothing else is ever allowed).</summary>
    public IReadOnlyList<string> AllowedSchemes { get; init; } = ["http", "https"];

    /// <summary>Ports a request may connect to (<c>HTTP_ALLOWED_PORTS</c>); empty allows any port.</summary>
    public IReadOnlyList<int> AllowedPorts { get; init; } = [80, 443];

    /// <summary>
    /// Host names a request may go to (<c>HTTP_ALLOWED_DOMAINS</c>); empty allows any. <c>*.example.com</c>
    /// matches sub-domains of example.com, a bare entry matches exactly. Address checks still apply.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Host names that are always refused (<c>HTTP_BLOCKED_DOMAINS</c>), same matching as <see cref="AllowedHosts"/>.</summary>
    public IReadOnlyList<string> BlockedHosts { get; init; } = [];

    /// <summary>
    /// Networks that are reachable even though they fall in a blocked category, e.g. <c>10.1.2.0/24</c> for one
    /// internal API or <c>127.0.0.1/32</c> for a test server. Cloud metadata addresses still need
    /// <see cref="AllowCloudMetadata"/>.
    /// </summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; init; } = [];

    /// <summary>Networks that are always refused, whatever else allows them.</summary>
    public IReadOnlyList<IPNetwork> BlockedNetworks { get; init; } = [];

    /// <summary>10/8, 172.16/12, 192.168/16, fc00::/7 (<c>HTTP_ALLOW_PRIVATE_IPS</c>).</summary>
    public bool AllowPrivateIps { get; init; }

    /// <summary>127/8, ::1, 0.0.0.0, :: and the name localhost (<c>HTTP_ALLOW_LOCALHOST</c>).</summary>
    public bool AllowLocalhost { get; init; }

    /// <summary>169.254/16 and fe80::/10 (<c>HTTP_ALLOW_LINK_LOCAL</c>).</summary>
    public bool AllowLinkLocal { get; init; }

    /// <summary>Cloud metadata addresses and names such as 169.254.169.254 (<c>HTTP_ALLOW_CLOUD_METADATA</c>).</summary>
    public bool AllowCloudMetadata { get; init; }

    /// <summary>Whole-call timeout (<c>HTTP_TIMEOUT</c>); a node may ask for less, never more.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Redirects followed per call (<c>HTTP_MAX_REDIRECTS</c>); 0 fails on the first redirect.</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>Largest response body read (<c>HTTP_MAX_RESPONSE_BYTES</c>); a node may ask for less.</summary>
    public long MaxResponseBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>TCP connect plus TLS handshake time for one connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The defaults: public addresses on ports 80 and 443 only.</summary>
    public static OutboundHttpOptions Default { get; } = new();
}
