using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Thaiyyal.Server.Hosting;

/// <summary>
/// Kestrel's socket transport with one change at shutdown: after the listening socket closes, it waits
/// <see cref="SettleTime"/> before Kestrel closes the connections. Kestrel closes every connection that has not
/// started a request; without the pause a request a client wrote just as the listener closed (a fresh connection
/// whose bytes are not parsed yet) would be dropped with a reset. With it, that request is read, runs or gets its
/// 503, and is answered. New connections are refused from the moment the listener closes, so no request can arrive
/// during the pause except on connections already accepted.
/// </summary>
internal sealed class SettlingListenerFactory(IOptions<SocketTransportOptions> options, ILoggerFactory loggers) : IConnectionListenerFactory
{
    public static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(500);

    private readonly SocketTransportFactory _sockets = new(options, loggers);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new SettlingListener(await _sockets.BindAsync(endpoint, cancellationToken));

    private sealed class SettlingListener(IConnectionListener inner) : IConnectionListener
    {
        public EndPoint EndPoint => inner.EndPoint;

        public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) => inner.AcceptAsync(cancellationToken);

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            await inner.UnbindAsync(cancellationToken);
            try
            {
                await Task.Delay(SettleTime, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown deadline passed; Kestrel closes the connections now.
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
