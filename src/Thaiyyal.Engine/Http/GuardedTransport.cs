using System.Net;

namespace Thaiyyal.Engine.Http;

/// <summary>Connection settings of one transport.</summary>
internal sealed record TransportSettings(
    TimeSpan ConnectTimeout,
    TimeSpan IdleTimeout,
    int MaxConnectionsPerHost,
    bool KeepAlive)
{
    public static TransportSettings From(OutboundHttpOptions options) =>
        new(options.ConnectTimeout, TimeSpan.FromSeconds(90), 100, KeepAlive: true);
}

/// <summary>
/// One connection pool behind one policy: a <see cref="SocketsHttpHandler"/> whose every connection goes
/// through the <see cref="SsrfGuard"/>, with automatic redirects, proxies and cookies off (redirects are
/// followed by <see cref="OutboundRequestSender"/>, which re-checks every hop). Retired transports are
/// disposed when the last request using them ends.
/// </summary>
internal sealed class GuardedTransport : IDisposable
{
    private readonly Lock _gate = new();
    private int _leases;
    private bool _retired;
    private bool _disposed;

    public GuardedTransport(SsrfPolicy policy, IHostResolver resolver, ISocketDialer dialer, TransportSettings settings)
    {
        Policy = policy;
        Guard = new SsrfGuard(policy, resolver, dialer);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (context, token) =>
            {
                SendOnce.OnConnect(context.InitialRequestMessage);
                return Guard.ConnectAsync(context, token);
            },
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PreAuthenticate = false,
            Credentials = null,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = settings.ConnectTimeout > TimeSpan.Zero ? settings.ConnectTimeout : Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = settings.IdleTimeout,
            // A pooled connection stays bound to the address validated when it opened; renew it now and then.
            PooledConnectionLifetime = settings.KeepAlive ? TimeSpan.FromMinutes(2) : TimeSpan.Zero,
            MaxConnectionsPerServer = settings.MaxConnectionsPerHost > 0 ? settings.MaxConnectionsPerHost : int.MaxValue,
            MaxResponseHeadersLength = 64,
            Expect100ContinueTimeout = TimeSpan.FromSeconds(1),
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public SsrfPolicy Policy { get; }

    public SsrfGuard Guard { get; }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>Marks a request in flight; false when the transport was already disposed.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_disposed) return false;
            _leases++;
            return true;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _leases--;
            if (!_retired || _leases > 0 || _disposed) return;
            _disposed = true;
        }
        Invoker.Dispose();
    }

    /// <summary>No new requests will come; dispose once the ones in flight end.</summary>
    public void Retire()
    {
        lock (_gate)
        {
            _retired = true;
            if (_leases > 0 || _disposed) return;
            _disposed = true;
        }
        Invoker.Dispose();
    }

    public void Dispose() => Retire();
}
