using System.Net;

namespace Thaiyyal.Engine.Http;

/// <summary>Host-name normalisation and matching shared by the URL rules and the connection guard.</summary>
internal static class HostNames
{
    private static readonly string[] LocalhostNames = ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"];

    private static readonly string[] CloudMetadataNames =
    [
        "metadata.google.internal", "metadata.azure.com", "metadata", "instance-data", "instance-data.ec2.internal",
        "metadata.tencentyun.com",
    ];

    /// <summary>
    /// The host the network stack will connect to, in one canonical form: the IDNA/ASCII form (so
    /// full-width digits and dots become ASCII), no brackets, no trailing dots, lower case.
    /// </summary>
    public static string Normalize(string host)
    {
        var h = host.Trim();
        if (h.StartsWith('[') && h.EndsWith(']')) h = h[1..^1];
        h = h.Replace("%25", "%", StringComparison.Ordinal).TrimEnd('.');
        return h.ToLowerInvariant();
    }

    /// <summary>
    /// Parses <paramref name="normalizedHost"/> as an IP address the way the resolver would: dotted, decimal, octal and
    /// hex IPv4 forms (<c>2130706433</c>, <c>0177.0.0.1</c>, <c>0x7f.1</c>, <c>127.1</c>) and IPv6 with a zone.
    /// </summary>
    public static bool TryParseAddress(string normalizedHost, out IPAddress address)
    {
        address = IPAddress.None;
        if (normalizedHost.Length == 0) return false;
        // IPAddress.TryParse accepts the inet_aton forms; a name is only tried when it is made of numeric
        // labels, so "cafe" or "1e100" stay names.
        if (!normalizedHost.Contains(':', StringComparison.Ordinal) && !LooksLikeIPv4(normalizedHost)) return false;
        if (IPAddress.TryParse(normalizedHost, out var parsed))
        {
            address = parsed;
            return true;
        }
        // A zone the system does not know (fe80::1%eth9) must not turn an address literal into a name.
        var zone = normalizedHost.IndexOf('%', StringComparison.Ordinal);
        if (zone <= 0 || !IPAddress.TryParse(normalizedHost[..zone], out parsed)) return false;
        address = parsed;
        return true;
    }

    /// <summary>
    /// <paramref name="host"/> with look-alike digits and dots folded to ASCII (full-width, circled, ideographic
    /// full stop). IDNA mapping does this when globalization data is present; without it the name would go to
    /// DNS as punycode, so the folded form is checked too rather than trusting the platform.
    /// </summary>
    public static string FoldLookalikes(string host)
    {
        var folded = new System.Text.StringBuilder(host.Length);
        foreach (var c in host)
        {
            if (c < 0x80) folded.Append(c);
            else if (c is '\u3002' or '\uff0e' or '\uff61') folded.Append('.');
            else if (char.GetNumericValue(c) is var n && n is >= 0 and <= 9 && n == Math.Floor(n)) folded.Append((char)('0' + (int)n));
            else folded.Append(c);
        }
        return folded.ToString();
    }

    public static bool IsLocalhostName(string normalizedHost) =>
        Array.IndexOf(LocalhostNames, normalizedHost) >= 0 || normalizedHost.EndsWith(".localhost", StringComparison.Ordinal);

    public static bool IsCloudMetadataName(string normalizedHost) => Array.IndexOf(CloudMetadataNames, normalizedHost) >= 0;

    /// <summary>
    /// True when <paramref name="normalizedHost"/> matches <paramref name="pattern"/>: <c>*.example.com</c> matches
    /// sub-domains only; a bare entry matches exactly, or also sub-domains when <paramref name="bareMatchesSubdomains"/>.
    /// </summary>
    public static bool Matches(string normalizedHost, string pattern, bool bareMatchesSubdomains)
    {
        var p = Normalize(pattern);
        if (p.StartsWith("*.", StringComparison.Ordinal)) return normalizedHost.EndsWith(p[1..], StringComparison.Ordinal) && normalizedHost.Length > p.Length - 1;
        if (normalizedHost == p) return true;
        return bareMatchesSubdomains && normalizedHost.EndsWith("." + p, StringComparison.Ordinal);
    }

    public static bool MatchesAny(string normalizedHost, IReadOnlyList<string> patterns, bool bareMatchesSubdomains)
    {
        foreach (var p in patterns)
        {
            if (Matches(normalizedHost, p, bareMatchesSubdomains)) return true;
        }
        return false;
    }

    // Numeric labels only (decimal, octal or 0x-hex), one to four of them: what inet_aton reads as an address.
    private static bool LooksLikeIPv4(string host)
    {
        var parts = host.Split('.');
        if (parts.Length > 4) return false;
        foreach (var part in parts)
        {
            if (part.Length == 0) return false;
            var digits = part.StartsWith("0x", StringComparison.Ordinal) ? part[2..] : part;
            var hex = !ReferenceEquals(digits, part);
            foreach (var c in digits)
            {
                if (hex ? !char.IsAsciiHexDigit(c) : !char.IsAsciiDigit(c)) return false;
            }
        }
        return true;
    }
}
