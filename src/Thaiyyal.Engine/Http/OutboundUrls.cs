using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Thaiyyal.Engine.Http;

/// <summary>URL handling for outbound requests: resolving, query building, origins, user info.</summary>
internal static class OutboundUrls
{
    /// <summary>
    /// Turns the node's URL text into an absolute URI: relative references resolve against
    /// <paramref name="baseUrl"/>. On failure <paramref name="error"/> is the original's reason text.
    /// </summary>
    public static bool TryResolve(string text, Uri? baseUrl, [NotNullWhen(true)] out Uri? url, [NotNullWhen(false)] out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        if (!HasScheme(trimmed))
        {
            if (baseUrl is not null && Uri.TryCreate(baseUrl, trimmed, out url)) return true;
            // Go's parser accepts a reference without a scheme, and the scheme rule then refuses it.
            url = null;
            error = "URL scheme not allowed:  (allowed: [http https])";
            return false;
        }
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out url)) return true;
        error = $"invalid URL: cannot parse \"{trimmed}\"";
        return false;
    }

    /// <summary>Adds query parameters after the URL's own ones (existing parameters are kept).</summary>
    public static Uri AppendQuery(Uri url, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (parameters.Count == 0) return url;
        var query = new StringBuilder(url.Query.TrimStart('?'));
        foreach (var (key, value) in parameters)
        {
            if (query.Length > 0) query.Append('&');
            query.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return new UriBuilder(url) { Query = query.ToString() }.Uri;
    }

    /// <summary>Removes <c>user:password@</c>, returning it decoded (null when absent).</summary>
    public static Uri WithoutUserInfo(Uri url, out string? userInfo)
    {
        userInfo = null;
        if (url.UserInfo.Length == 0) return url;
        userInfo = Uri.UnescapeDataString(url.UserInfo);
        return new UriBuilder(url) { UserName = "", Password = "" }.Uri;
    }

    /// <summary>Same scheme, host and port.</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(HostNames.Normalize(a.IdnHost), HostNames.Normalize(b.IdnHost), StringComparison.Ordinal)
        && a.Port == b.Port;

    /// <summary>The host part for logs and metric labels: never the path or query (they may carry secrets).</summary>
    public static string HostLabel(Uri url) => HostNames.Normalize(url.IdnHost);

    private static bool HasScheme(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(text[0])) return false;
        for (var i = 1; i < colon; i++)
        {
            var c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')) return false;
        }
        return true;
    }
}
