using System.Net;

namespace Thaiyyal.Engine.Http;

/// <summary>
/// The rules one outbound client enforces: URL rules before a request is sent and address rules when a
/// connection is opened (<see cref="SsrfGuard"/>). Immutable; a named client's policy is the engine's policy
/// narrowed by the client's own settings (<see cref="Narrow"/>), never widened.
/// </summary>
internal sealed class SsrfPolicy
{
    private readonly OutboundHttpOptions _options;
    private readonly IReadOnlyList<string> _clientAllowedHosts;

    public SsrfPolicy(OutboundHttpOptions options) : this(options, []) { }

    private SsrfPolicy(OutboundHttpOptions options, IReadOnlyList<string> clientAllowedHosts)
    {
        _options = options;
        _clientAllowedHosts = clientAllowedHosts;
    }

    public OutboundHttpOptions Options => _options;

    /// <summary>
    /// This policy with a named client's settings applied: an address category is reachable only when both
    /// allow it, and a host must pass both allow lists. Client allow lists match sub-domains of bare entries,
    /// as the original's named clients did.
    /// </summary>
    public SsrfPolicy Narrow(bool allowPrivateIps, bool allowLocalhost, bool allowLinkLocal, bool allowCloudMetadata, IReadOnlyList<string> allowedHosts) =>
        new(_options with
        {
            AllowPrivateIps = _options.AllowPrivateIps && allowPrivateIps,
            AllowLocalhost = _options.AllowLocalhost && allowLocalhost,
            AllowLinkLocal = _options.AllowLinkLocal && allowLinkLocal,
            AllowCloudMetadata = _options.AllowCloudMetadata && allowCloudMetadata,
        }, allowedHosts);

    /// <summary>Rules that need no DNS: scheme, host lists, IP literals, special names, port.</summary>
    public SsrfBlock? CheckUrl(Uri uri)
    {
        var scheme = uri.Scheme;
        if (!_options.AllowedSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase) || scheme is not ("http" or "https"))
            return new(SsrfReasons.Scheme, $"URL scheme not allowed: {scheme} (allowed: [{string.Join(' ', _options.AllowedSchemes)}])", "");
        var host = HostNames.Normalize(uri.IdnHost);
        if (host.Length == 0) return new(SsrfReasons.InvalidUrl, "URL missing hostname", "");
        if (!uri.Host.AsSpan().ContainsAnyExceptInRange((char)0, (char)0x7f)) return CheckHost(host, uri.Port);
        var folded = HostNames.Normalize(HostNames.FoldLookalikes(uri.Host));
        if (HostNames.TryParseAddress(folded, out var lookalike) && CheckAddress(lookalike) is { } blocked)
            return blocked with { Message = $"IP validation failed for {host}: {blocked.Message}", Host = host };
        return CheckHost(host, uri.Port);
    }

    /// <summary>Host-list, literal-address, special-name and port rules for a normalised host.</summary>
    public SsrfBlock? CheckHost(string host, int port)
    {
        if (HostNames.MatchesAny(host, _options.BlockedHosts, bareMatchesSubdomains: false))
            return new(SsrfReasons.DomainNotAllowed, $"domain is blocked: {host}", host);
        if (_options.AllowedHosts.Count > 0 && !HostNames.MatchesAny(host, _options.AllowedHosts, bareMatchesSubdomains: false))
            return new(SsrfReasons.DomainNotAllowed, $"domain not in allowlist: {host}", host);
        if (_clientAllowedHosts.Count > 0 && !HostNames.MatchesAny(host, _clientAllowedHosts, bareMatchesSubdomains: true))
            return new(SsrfReasons.DomainNotAllowed, $"domain {host} is not in allowed domains list", host);
        if (HostNames.TryParseAddress(host, out var literal))
        {
            if (CheckAddress(literal) is { } blocked) return blocked with { Message = $"IP validation failed for {host}: {blocked.Message}", Host = host };
        }
        else if (HostNames.IsLocalhostName(host) && !_options.AllowLocalhost)
        {
            return new(SsrfReasons.Localhost, LocalhostMessage, host);
        }
        else if (HostNames.IsCloudMetadataName(host) && !_options.AllowCloudMetadata)
        {
            return new(SsrfReasons.CloudMetadata, CloudMetadataMessage, host);
        }
        if (_options.AllowedPorts.Count > 0 && !_options.AllowedPorts.Contains(port))
            return new(SsrfReasons.Port, $"port not allowed: {port} (allowed: [{string.Join(' ', _options.AllowedPorts)}])", host);
        return null;
    }

    /// <summary>Address rules for one address a host resolved to; the message names the host and the address.</summary>
    public SsrfBlock? CheckResolvedAddress(string host, IPAddress address) =>
        CheckAddress(address) is { } blocked
            ? blocked with { Message = $"IP validation failed for {host} ({address}): {blocked.Message}", Host = host }
            : null;

    /// <summary>
    /// Address rules, in the original's order (localhost, private, link-local, cloud metadata) followed by
    /// every other special-purpose range. Denied networks win; allowed networks open everything but metadata.
    /// </summary>
    public SsrfBlock? CheckAddress(IPAddress address)
    {
        var hasEmbedded = SpecialAddresses.TryGetEmbeddedIPv4(address, out var embedded, out var form);
        foreach (var denied in _options.BlockedNetworks)
        {
            if (denied.Contains(address) || (hasEmbedded && denied.Contains(embedded)))
                return new(SsrfReasons.NetworkDenied, $"address is in a blocked network: {denied}", "");
        }
        foreach (var allowed in _options.AllowedNetworks)
        {
            if (!allowed.Contains(address)) continue;
            return SpecialAddresses.IsCloudMetadata(address) && !_options.AllowCloudMetadata
                ? new(SsrfReasons.CloudMetadata, CloudMetadataMessage, "")
                : null;
        }
        if (hasEmbedded)
        {
            if (CheckCategories(embedded) is { } inner) return inner with { Message = $"{inner.Message}; {embedded} is embedded in {form}" };
            return new(SsrfReasons.Reserved, $"reserved or special-purpose addresses are blocked ({form})", "");
        }
        return CheckCategories(address);
    }

    private SsrfBlock? CheckCategories(IPAddress address)
    {
        if (SpecialAddresses.IsLoopback(address) && !_options.AllowLocalhost) return new(SsrfReasons.Localhost, LocalhostMessage, "");
        if (SpecialAddresses.IsPrivate(address) && !_options.AllowPrivateIps)
            return new(SsrfReasons.Private, "private IP addresses are blocked (set allow_private_ips=true to permit)", "");
        if (SpecialAddresses.IsLinkLocal(address) && !_options.AllowLinkLocal)
            return new(SsrfReasons.LinkLocal, "link-local addresses are blocked (set allow_link_local=true to permit)", "");
        if (SpecialAddresses.IsCloudMetadata(address) && !_options.AllowCloudMetadata) return new(SsrfReasons.CloudMetadata, CloudMetadataMessage, "");
        // A category the policy allows is not then refused again as a special-purpose range (100.100.100.200 is in CGNAT).
        if (SpecialAddresses.IsLoopback(address) || SpecialAddresses.IsPrivate(address) || SpecialAddresses.IsLinkLocal(address) || SpecialAddresses.IsCloudMetadata(address)) return null;
        if (SpecialAddresses.ReservedRange(address) is { } range)
            return new(SsrfReasons.Reserved, $"reserved or special-purpose addresses are blocked ({range})", "");
        return null;
    }

    private const string LocalhostMessage = "localhost addresses are blocked (set allow_localhost=true to permit)";

    private const string CloudMetadataMessage = "cloud metadata endpoints are blocked (set allow_cloud_metadata=true to permit)";
}
