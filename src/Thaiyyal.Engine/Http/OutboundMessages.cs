namespace Thaiyyal.Engine.Http;

/// <summary>What a workflow asks for: one logical request (redirects and retries are the sender's business).</summary>
internal sealed record OutboundRequest
{
    public string Method { get; init; } = "GET";

    /// <summary>Absolute URL, or relative to the named client's base URL.</summary>
    public required string Url { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Query parameters appended to the URL's own.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    public byte[]? Body { get; init; }

    public string? BodyContentType { get; init; }

    /// <summary>Lower than the client's limit or ignored: a node cannot raise a limit.</summary>
    public TimeSpan? Timeout { get; init; }

    public long? MaxResponseBytes { get; init; }

    public int? MaxRedirects { get; init; }

    public bool FollowRedirects { get; init; } = true;

    /// <summary>Read the body of a non-2xx response too (otherwise it is discarded unread).</summary>
    public bool ReadErrorBody { get; init; } = true;
}

/// <summary>A response read in full (within the size limit).</summary>
internal sealed record OutboundResponse(
    int StatusCode,
    string ReasonPhrase,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    byte[] Body,
    Uri Url)
{
    public bool IsSuccess => StatusCode is >= 200 and <= 299;
}

/// <summary>Everything that governs calls through one client: transport, limits, defaults, credentials, retries.</summary>
internal sealed record HttpCallProfile
{
    public required GuardedTransport Transport { get; init; }

    /// <summary>The named client's uid, or null for the engine's default client.</summary>
    public string? ClientUid { get; init; }

    public Uri? BaseUrl { get; init; }

    public TimeSpan Timeout { get; init; }

    public long MaxResponseBytes { get; init; }

    public int MaxRedirects { get; init; }

    public bool FollowRedirects { get; init; } = true;

    /// <summary>The client's default headers; sent only where its credentials may go.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> QueryParams { get; init; } = [];

    public HttpClientAuth Auth { get; init; } = HttpClientAuth.None;

    /// <summary>Hosts (besides the base URL's origin) the client's credentials may be sent to.</summary>
    public IReadOnlyList<string> CredentialHosts { get; init; } = [];

    public HttpClientRetry Retry { get; init; } = new();

    /// <summary>True when the client's credentials and default headers may accompany a request to <paramref name="url"/>.</summary>
    public bool MayCarryCredentials(Uri url)
    {
        if (BaseUrl is null && CredentialHosts.Count == 0) return true; // validated: such a client has no auth
        if (BaseUrl is not null && OutboundUrls.SameOrigin(url, BaseUrl)) return true;
        return CredentialHosts.Count > 0 && HostNames.MatchesAny(HostNames.Normalize(url.IdnHost), CredentialHosts, bareMatchesSubdomains: true);
    }
}
