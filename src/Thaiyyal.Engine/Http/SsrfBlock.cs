namespace Thaiyyal.Engine.Http;

/// <summary>Machine-readable reasons for a refused outbound request (metric label <c>ssrf_blocked_total{reason}</c>).</summary>
internal static class SsrfReasons
{
    public const string Localhost = "localhost";
    public const string Private = "private";
    public const string LinkLocal = "link_local";
    public const string CloudMetadata = "cloud_metadata";
    public const string Reserved = "reserved";
    public const string DomainNotAllowed = "domain_not_allowed";
    public const string NetworkDenied = "network_denied";
    public const string Scheme = "scheme";
    public const string Port = "port";
    public const string Dns = "dns";
    public const string InvalidUrl = "invalid_url";
}

/// <summary>Why a request was refused: a reason from <see cref="SsrfReasons"/> and the user-facing text.</summary>
public sealed record SsrfBlock(string Reason, string Message, string Host);

/// <summary>
/// An outbound request was refused by the policy. Thrown before a request is sent (URL rules) and from the
/// connection callback (address rules), so it can arrive wrapped in an <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class SsrfBlockedException(SsrfBlock block) : HttpRequestException(block.Message)
{
    public SsrfBlock Block { get; } = block;

    /// <summary>The refusal inside <paramref name="exception"/> or its inner exceptions, if any.</summary>
    public static SsrfBlockedException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SsrfBlockedException blocked) return blocked;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find(inner) is { } found) return found;
                }
            }
        }
        return null;
    }
}
