namespace Thaiyyal.Engine.Http;

/// <summary>Which request headers a workflow or a named client may set, and which survive a cross-origin redirect.</summary>
internal static class HttpHeaderRules
{
    // Framing and routing headers belong to the HTTP stack: setting them could smuggle a second request or
    // point the request at a different virtual host than the URL the policy checked.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer", "Keep-Alive",
        "Expect", "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate",
    };

    // The only node headers sent on to a different origin after a redirect; everything else may be a credential.
    private static readonly HashSet<string> CrossOriginSafe = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Accept-Language", "Cache-Control", "Content-Type", "User-Agent",
    };

    public static bool IsReserved(string name) => Reserved.Contains(name);

    public static bool IsCrossOriginSafe(string name) => CrossOriginSafe.Contains(name);

    /// <summary>An RFC 9110 token: visible ASCII without separators.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0) return false;
        foreach (var c in name)
        {
            if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>No CR, LF or NUL: a value cannot start a new header line.</summary>
    public static bool IsValidValue(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') < 0;
}
