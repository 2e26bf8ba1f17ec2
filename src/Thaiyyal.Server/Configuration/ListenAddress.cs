using System.Globalization;
using System.Net;

namespace Thaiyyal.Server.Configuration;

/// <summary>
/// A Go-style listen address: <c>:8080</c> (every interface), <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>,
/// <c>localhost:6060</c> or <c>host.example:80</c>. Port 0 picks a free port.
/// </summary>
public sealed record ListenAddress(string Host, int Port)
{
    /// <summary>True when the host part is empty: listen on every interface.</summary>
    public bool IsAnyHost => Host.Length == 0;

    /// <summary>True for <c>localhost</c> and loopback literals.</summary>
    public bool IsLoopback =>
        string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip));

    public static bool TryParse(string text, out ListenAddress? address, out string error)
    {
        address = null;
        error = "";
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = "missing port (use host:port or :port)";
            return false;
        }
        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':'))
        {
            error = "IPv6 hosts must be in brackets, e.g. [::1]:8080";
            return false;
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"invalid port \"{portText}\"";
            return false;
        }
        address = new ListenAddress(host, port);
        return true;
    }

    public override string ToString() =>
        Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
