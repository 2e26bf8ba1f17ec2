using System.Globalization;
using System.Net;

namespace Thaiyyal.Engine.Http;

/// <summary>
/// Reads <see cref="OutboundHttpOptions"/> from settings named as in security.md §2.6 (environment variables or
/// their command-line equivalents). Unset settings keep the defaults; a malformed one is an error, never ignored.
/// </summary>
public static class OutboundHttpSettings
{
    /// <summary>Every setting this reader understands.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "HTTP_ENABLED", "HTTP_ALLOWED_DOMAINS", "HTTP_BLOCKED_DOMAINS", "HTTP_ALLOWED_NETWORKS", "HTTP_BLOCKED_NETWORKS",
        "HTTP_ALLOW_PRIVATE_IPS", "HTTP_ALLOW_LOCALHOST", "HTTP_ALLOW_LINK_LOCAL", "HTTP_ALLOW_CLOUD_METADATA",
        "HTTP_ALLOWED_PORTS", "HTTP_MAX_REDIRECTS", "HTTP_MAX_RESPONSE_BYTES", "HTTP_TIMEOUT",
    ];

    /// <summary>The options described by <paramref name="lookup"/> (e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>).</summary>
    /// <exception cref="FormatException">A setting has a value that cannot be read; the message names it.</exception>
    public static OutboundHttpOptions Read(Func<string, string?> lookup, OutboundHttpOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var o = defaults ?? OutboundHttpOptions.Default;
        return o with
        {
            Enabled = Bool(lookup, "HTTP_ENABLED") ?? o.Enabled,
            AllowedHosts = List(lookup, "HTTP_ALLOWED_DOMAINS") ?? o.AllowedHosts,
            BlockedHosts = List(lookup, "HTTP_BLOCKED_DOMAINS") ?? o.BlockedHosts,
            AllowedNetworks = Networks(lookup, "HTTP_ALLOWED_NETWORKS") ?? o.AllowedNetworks,
            BlockedNetworks = Networks(lookup, "HTTP_BLOCKED_NETWORKS") ?? o.BlockedNetworks,
            AllowPrivateIps = Bool(lookup, "HTTP_ALLOW_PRIVATE_IPS") ?? o.AllowPrivateIps,
            AllowLocalhost = Bool(lookup, "HTTP_ALLOW_LOCALHOST") ?? o.AllowLocalhost,
            AllowLinkLocal = Bool(lookup, "HTTP_ALLOW_LINK_LOCAL") ?? o.AllowLinkLocal,
            AllowCloudMetadata = Bool(lookup, "HTTP_ALLOW_CLOUD_METADATA") ?? o.AllowCloudMetadata,
            AllowedPorts = Ports(lookup, "HTTP_ALLOWED_PORTS") ?? o.AllowedPorts,
            MaxRedirects = (int?)Number(lookup, "HTTP_MAX_REDIRECTS", int.MaxValue) ?? o.MaxRedirects,
            MaxResponseBytes = Number(lookup, "HTTP_MAX_RESPONSE_BYTES", long.MaxValue) ?? o.MaxResponseBytes,
            Timeout = Duration(lookup, "HTTP_TIMEOUT") ?? o.Timeout,
        };
    }

    private static string? Get(Func<string, string?> lookup, string name) => lookup(name) is { } v ? v.Trim() : null;

    private static bool? Bool(Func<string, string?> lookup, string name) => Get(lookup, name)?.ToLowerInvariant() switch
    {
        null or "" => null,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        var v => throw new FormatException($"{name}: '{v}' is not a boolean (true or false)"),
    };

    private static string[]? Items(Func<string, string?> lookup, string name) =>
        Get(lookup, name) is { } v ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;

    private static string[]? List(Func<string, string?> lookup, string name) => Items(lookup, name);

    private static IPNetwork[]? Networks(Func<string, string?> lookup, string name) =>
        Items(lookup, name)?.Select(item =>
        {
            if (IPNetwork.TryParse(item, out var network)) return network;
            if (IPAddress.TryParse(item, out var address)) return new IPNetwork(address, address.GetAddressBytes().Length * 8);
            throw new FormatException($"{name}: '{item}' is not a CIDR network such as 10.1.2.0/24");
        }).ToArray();

    // Empty, "*" or "any" means any port; unset keeps the default (80, 443).
    private static int[]? Ports(Func<string, string?> lookup, string name) =>
        Get(lookup, name) is "*" or "any" ? [] : Items(lookup, name)?.Select(item => int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException($"{name}: '{item}' is not a port number")).ToArray();

    private static long? Number(Func<string, string?> lookup, string name, long max)
    {
        if (Get(lookup, name) is not { Length: > 0 } v) return null;
        return long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max
            ? n
            : throw new FormatException($"{name}: '{v}' is not a non-negative whole number");
    }

    private static TimeSpan? Duration(Func<string, string?> lookup, string name)
    {
        if (Get(lookup, name) is not { Length: > 0 } v) return null;
        return Compatibility.GoDuration.TryParse(v, out var d) && d > TimeSpan.Zero ? d : throw new FormatException($"{name}: {Compatibility.GoDuration.FormatError(v)}");
    }
}
