namespace Thaiyyal.Engine.Http;

/// <summary>
/// A pre-registered outbound client (security.md §3.1): where it points, how it authenticates, its
/// network settings, retries and its own SSRF settings. The client's SSRF settings narrow the engine's
/// policy; they never widen it.
/// </summary>
public sealed record NamedHttpClientConfig
{
    public required string Uid { get; init; }

    public string Description { get; init; } = "";

    /// <summary>Relative node URLs are resolved against this; credentials are sent to its origin.</summary>
    public string BaseUrl { get; init; } = "";

    public HttpClientAuth Auth { get; init; } = HttpClientAuth.None;

    public HttpClientNetwork Network { get; init; } = new();

    public HttpClientSecurity Security { get; init; } = new();

    /// <summary>Headers added to requests that may carry the client's credentials.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Query parameters added to the node's URL.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> QueryParams { get; init; } = [];

    public HttpClientRetry Retry { get; init; } = new();

    /// <summary>Zero numbers and durations replaced by their defaults (security.md §3.1: zero means unset).</summary>
    public NamedHttpClientConfig WithDefaults() => this with { Network = Network.WithDefaults(), Security = Security.WithDefaults() };

    /// <summary>The first broken rule (security.md §3.2, in order), or null when the configuration is valid.</summary>
    public string? Validate()
    {
        if (string.IsNullOrEmpty(Uid)) return "client UID is required";
        // A NUL is no character of any name, and PostgreSQL's text cannot store it.
        if (Uid.Contains('\0', StringComparison.Ordinal)) return "client UID must not contain a NUL character";
        if (Auth.Validate() is { } auth) return auth;
        if (Network.Validate() is { } network) return network;
        if (Security.Validate() is { } security) return security;
        if (Retry.Validate() is { } retry) return retry;
        if (BaseUrl.Length > 0 && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https")))
            return "base_url must be an absolute http or https URL";
        foreach (var (key, value) in Headers)
        {
            if (!HttpHeaderRules.IsValidName(key)) return $"invalid header name: {key}";
            if (HttpHeaderRules.IsReserved(key)) return $"header not allowed: {key}";
            if (!HttpHeaderRules.IsValidValue(value)) return $"invalid value for header {key}";
        }
        // Credentials with no host to belong to could be sent anywhere a workflow points the client.
        if (Auth.Type != HttpClientAuth.TypeNone && BaseUrl.Length == 0 && Security.AllowedDomains.Count == 0)
            return "credentials need a base_url or security.allowed_domains to bind them to";
        return null;
    }
}

/// <summary>How a named client authenticates (<c>none</c>, <c>basic</c>, <c>bearer</c>, <c>apikey</c>).</summary>
public sealed record HttpClientAuth
{
    public const string TypeNone = "none";
    public const string TypeBasic = "basic";
    public const string TypeBearer = "bearer";
    public const string TypeApiKey = "apikey";

    public static HttpClientAuth None { get; } = new();

    public string Type { get; init; } = TypeNone;

    /// <summary>Basic auth user name (null when the <c>basic_auth</c> object is missing).</summary>
    public string? Username { get; init; }

    public Secret? Password { get; init; }

    /// <summary>Bearer token (null when the <c>token</c> object is missing).</summary>
    public Secret? Token { get; init; }

    /// <summary>API key header or query parameter name (null when the <c>api_key</c> object is missing).</summary>
    public string? ApiKeyName { get; init; }

    public Secret? ApiKeyValue { get; init; }

    /// <summary><c>header</c> or <c>query</c>.</summary>
    public string? ApiKeyLocation { get; init; }

    internal string? Validate() => Type switch
    {
        TypeNone => null,
        TypeBasic when Username is null && Password is null => "basic_auth configuration is required for basic auth",
        TypeBasic when string.IsNullOrEmpty(Username) => "username is required for basic auth",
        TypeBasic when Password is null || Password.IsEmpty => "password is required for basic auth",
        TypeBasic => null,
        TypeBearer when Token is null => "token configuration is required for bearer auth",
        TypeBearer when Token.IsEmpty => "token is required for bearer auth",
        TypeBearer when !HttpHeaderRules.IsValidValue(Token.Reveal()) => "token contains a line break",
        TypeBearer => null,
        TypeApiKey when ApiKeyName is null && ApiKeyValue is null && ApiKeyLocation is null => "api_key configuration is required for apikey auth",
        TypeApiKey when string.IsNullOrEmpty(ApiKeyName) => "api_key.key is required for apikey auth",
        TypeApiKey when ApiKeyValue is null || ApiKeyValue.IsEmpty => "api_key.value is required for apikey auth",
        TypeApiKey when ApiKeyLocation is not ("header" or "query") => "api_key.location must be 'header' or 'query'",
        TypeApiKey when ApiKeyLocation == "header" && (!HttpHeaderRules.IsValidName(ApiKeyName!) || HttpHeaderRules.IsReserved(ApiKeyName!)) => $"api_key.key is not a valid header name: {ApiKeyName}",
        TypeApiKey when !HttpHeaderRules.IsValidValue(ApiKeyValue.Reveal()) => "api_key.value contains a line break",
        TypeApiKey => null,
        _ => $"invalid auth_type: {Type} (must be one of: none, basic, bearer, apikey)",
    };
}

/// <summary>Connection settings of a named client. Zero means "default" (security.md §3.1).</summary>
public sealed record HttpClientNetwork
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxIdleConns { get; init; } = 100;

    public int MaxIdleConnsPerHost { get; init; } = 10;

    public int MaxConnsPerHost { get; init; } = 100;

    public TimeSpan IdleConnTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool DisableKeepAlives { get; init; }

    internal string? Validate() =>
        Timeout < TimeSpan.Zero ? "timeout cannot be negative"
        : MaxIdleConns < 0 ? "max_idle_conns cannot be negative"
        : MaxIdleConnsPerHost < 0 ? "max_idle_conns_per_host cannot be negative"
        : MaxConnsPerHost < 0 ? "max_conns_per_host cannot be negative"
        : IdleConnTimeout < TimeSpan.Zero ? "idle_conn_timeout cannot be negative"
        : TlsHandshakeTimeout < TimeSpan.Zero ? "tls_handshake_timeout cannot be negative"
        : null;

    /// <summary>Zero values replaced by the defaults, as the original applied them before validation.</summary>
    internal HttpClientNetwork WithDefaults()
    {
        var d = new HttpClientNetwork();
        return this with
        {
            Timeout = Timeout == TimeSpan.Zero ? d.Timeout : Timeout,
            MaxIdleConns = MaxIdleConns == 0 ? d.MaxIdleConns : MaxIdleConns,
            MaxIdleConnsPerHost = MaxIdleConnsPerHost == 0 ? d.MaxIdleConnsPerHost : MaxIdleConnsPerHost,
            MaxConnsPerHost = MaxConnsPerHost == 0 ? d.MaxConnsPerHost : MaxConnsPerHost,
            IdleConnTimeout = IdleConnTimeout == TimeSpan.Zero ? d.IdleConnTimeout : IdleConnTimeout,
            TlsHandshakeTimeout = TlsHandshakeTimeout == TimeSpan.Zero ? d.TlsHandshakeTimeout : TlsHandshakeTimeout,
        };
    }
}

/// <summary>A named client's own SSRF and response settings; they can only tighten the engine's policy.</summary>
public sealed record HttpClientSecurity
{
    public int MaxRedirects { get; init; } = 10;

    public long MaxResponseSize { get; init; } = 10 * 1024 * 1024;

    /// <summary>Follow redirects (default true, with the cap); false returns the 3xx response.</summary>
    public bool FollowRedirects { get; init; } = true;

    public bool AllowPrivateIps { get; init; }

    public bool AllowLocalhost { get; init; }

    public bool AllowLinkLocal { get; init; }

    public bool AllowCloudMetadata { get; init; }

    /// <summary>Hosts the client may reach; a bare entry also matches its sub-domains. Empty = any.</summary>
    public IReadOnlyList<string> AllowedDomains { get; init; } = [];

    internal string? Validate() =>
        MaxRedirects < 0 ? "max_redirects cannot be negative"
        : MaxResponseSize < 0 ? "max_response_size cannot be negative"
        : null;

    internal HttpClientSecurity WithDefaults()
    {
        var d = new HttpClientSecurity();
        return this with
        {
            MaxRedirects = MaxRedirects == 0 ? d.MaxRedirects : MaxRedirects,
            MaxResponseSize = MaxResponseSize == 0 ? d.MaxResponseSize : MaxResponseSize,
        };
    }
}

/// <summary>Retries of transient failures (connection errors, timeouts of one attempt, 408, 429, 5xx gateways).</summary>
public sealed record HttpClientRetry
{
    /// <summary>Extra attempts after the first; each counts against the run's HTTP call budget.</summary>
    public int MaxRetries { get; init; }

    /// <summary>First back-off delay; it doubles each retry, with jitter.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest single back-off, also the cap on a server's <c>Retry-After</c>.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Also retry POST and PATCH (off: they may not be safe to repeat).</summary>
    public bool RetryNonIdempotent { get; init; }

    /// <summary>Most retries a client may ask for.</summary>
    public const int MaxAllowedRetries = 10;

    internal string? Validate() =>
        MaxRetries < 0 ? "retry.max_retries cannot be negative"
        : MaxRetries > MaxAllowedRetries ? $"retry.max_retries cannot exceed {MaxAllowedRetries}"
        : Delay < TimeSpan.Zero ? "retry.delay cannot be negative"
        : MaxDelay < TimeSpan.Zero ? "retry.max_delay cannot be negative"
        : null;
}
