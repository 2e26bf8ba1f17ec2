using System.Collections.Concurrent;

namespace Thaiyyal.Engine.Http;

/// <summary>
/// Outbound HTTP for a host's workflows: the policy, the default client, the named clients, and the single
/// path every <c>http</c> node request takes. Every client's connections go through the same connection-time
/// guard; nothing a workflow sets can skip it. Thread-safe; share one per host.
/// <code>
/// var http = new OutboundHttp(new OutboundHttpOptions { AllowedPorts = [80, 443, 8443] });
/// http.Clients.Register(new NamedHttpClientConfig { Uid = "github", BaseUrl = "https://api.github.com", ... });
/// var engine = new WorkflowEngine(new EngineOptions { Http = http });
/// </code>
/// </summary>
public sealed class OutboundHttp : IDisposable
{
    private static readonly Lazy<OutboundHttp> SharedDefault = new(() => new OutboundHttp());

    private readonly SsrfPolicy _policy;
    private readonly IHostResolver _resolver;
    private readonly ISocketDialer _dialer;
    private readonly Action<SsrfBlock>? _onBlocked;
    private readonly HttpCallProfile _default;
    private readonly ConcurrentDictionary<NamedHttpClient, Lazy<HttpCallProfile>> _named = new(ReferenceEqualityComparer.Instance);

    /// <param name="options">The policy and limits (default: <see cref="OutboundHttpOptions.Default"/>).</param>
    /// <param name="clients">Named clients (default: a new empty registry).</param>
    /// <param name="resolver">Host name resolution (default: system DNS); the guard validates what it returns.</param>
    /// <param name="dialer">Opens connections to validated addresses (default: TCP).</param>
    /// <param name="onBlocked">Called for each refused request, e.g. to log it (host and reason only).</param>
    public OutboundHttp(
        OutboundHttpOptions? options = null,
        NamedHttpClientRegistry? clients = null,
        IHostResolver? resolver = null,
        ISocketDialer? dialer = null,
        Action<SsrfBlock>? onBlocked = null)
    {
        Options = options ?? OutboundHttpOptions.Default;
        Clients = clients ?? new NamedHttpClientRegistry();
        _policy = new SsrfPolicy(Options);
        _resolver = resolver ?? DnsHostResolver.Instance;
        _dialer = dialer ?? TcpSocketDialer.Instance;
        _onBlocked = onBlocked;
        _default = new HttpCallProfile
        {
            Transport = new GuardedTransport(_policy, _resolver, _dialer, TransportSettings.From(Options)),
            Timeout = Options.Timeout,
            MaxResponseBytes = Options.MaxResponseBytes,
            MaxRedirects = Options.MaxRedirects,
        };
        Clients.ClientRetired += Retire;
    }

    /// <summary>The process-wide instance with the default policy, used when a host configures nothing.</summary>
    public static OutboundHttp Default => SharedDefault.Value;

    public OutboundHttpOptions Options { get; }

    /// <summary>The named clients nodes refer to with <c>http_client_uid</c>.</summary>
    public NamedHttpClientRegistry Clients { get; }

    /// <summary>
    /// Sends one node's request (nodes.md <c>http</c>, security.md §2.1): the global switch, the call budget,
    /// the client (an unknown uid is an error, never a fallback), then the guarded request.
    /// </summary>
    internal async Task<OutboundResponse> SendAsync(OutboundRequest request, string? clientUid, NodeContext context)
    {
        if (!Options.Enabled)
            throw new NodeExecutionException("HTTP requests are not allowed (AllowHTTP=false). Enable AllowHTTP in config to make HTTP requests");
        context.CountHttpCall();
        var profile = string.IsNullOrEmpty(clientUid) ? _default : NamedProfile(clientUid);
        if (!profile.Transport.TryAcquire()) throw new NodeExecutionException($"HTTP client '{clientUid}' was replaced or removed during the request");
        try
        {
            var sender = new OutboundRequestSender(profile, request, context.CountHttpCall, context.TimeProvider, ReportBlocked);
            return await sender.SendAsync(context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            profile.Transport.Release();
        }
    }

    public void Dispose()
    {
        Clients.ClientRetired -= Retire;
        _default.Transport.Retire();
        foreach (var profile in _named.Values)
        {
            if (profile.IsValueCreated) profile.Value.Transport.Retire();
        }
        _named.Clear();
    }

    private HttpCallProfile NamedProfile(string uid)
    {
        if (!Clients.TryGet(uid, out var client)) throw new NodeExecutionException($"unknown HTTP client '{uid}'");
        var profile = _named.GetOrAdd(client, c => new Lazy<HttpCallProfile>(() => CreateProfile(c.Config))).Value;
        // The client may have been replaced between the look-up and the cache insert; never keep a stale pool.
        if (!Clients.TryGet(uid, out var current) || !ReferenceEquals(current, client)) Retire(client);
        return profile;
    }

    private HttpCallProfile CreateProfile(NamedHttpClientConfig config)
    {
        var security = config.Security;
        var policy = _policy.Narrow(security.AllowPrivateIps, security.AllowLocalhost, security.AllowLinkLocal, security.AllowCloudMetadata, security.AllowedDomains);
        var network = config.Network;
        var settings = new TransportSettings(network.TlsHandshakeTimeout, network.IdleConnTimeout, network.MaxConnsPerHost, !network.DisableKeepAlives);
        return new HttpCallProfile
        {
            Transport = new GuardedTransport(policy, _resolver, _dialer, settings),
            ClientUid = config.Uid,
            BaseUrl = config.BaseUrl.Length > 0 ? new Uri(config.BaseUrl) : null,
            // A client narrows the host's policy, never widens it: its timeout is clamped to HTTP_TIMEOUT.
            Timeout = NarrowTimeout(network.Timeout, Options.Timeout),
            MaxResponseBytes = Options.MaxResponseBytes > 0 ? Math.Min(security.MaxResponseSize, Options.MaxResponseBytes) : security.MaxResponseSize,
            MaxRedirects = Math.Min(security.MaxRedirects, Options.MaxRedirects),
            FollowRedirects = security.FollowRedirects,
            Headers = config.Headers,
            QueryParams = config.QueryParams,
            Auth = config.Auth,
            CredentialHosts = security.AllowedDomains,
            Retry = config.Retry,
        };
    }

    /// <summary>The smaller of a client's timeout and the policy's; zero (none) on either side means the other.</summary>
    internal static TimeSpan NarrowTimeout(TimeSpan client, TimeSpan policy) =>
        client <= TimeSpan.Zero ? policy : policy <= TimeSpan.Zero ? client : client < policy ? client : policy;

    private void Retire(NamedHttpClient client)
    {
        if (_named.TryRemove(client, out var profile) && profile.IsValueCreated) profile.Value.Transport.Retire();
    }

    private void ReportBlocked(SsrfBlock block)
    {
        try
        {
            _onBlocked?.Invoke(block);
        }
        catch (Exception)
        {
            // A failing log sink must not turn a clean refusal into a different error.
        }
    }
}
