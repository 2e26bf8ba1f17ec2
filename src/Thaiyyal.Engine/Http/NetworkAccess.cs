using System.Net;
using System.Net.Sockets;

namespace Thaiyyal.Engine.Http;

/// <summary>Resolves a host name to addresses. The guard validates every address this returns.</summary>
public interface IHostResolver
{
    /// <summary>All addresses of <paramref name="host"/>; throw or return none when it does not resolve.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>Opens a connection to one address the guard has already validated.</summary>
public interface ISocketDialer
{
    /// <summary>A connected stream to <paramref name="endpoint"/>.</summary>
    ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken);
}

/// <summary>The system resolver (A and AAAA records).</summary>
internal sealed class DnsHostResolver : IHostResolver
{
    public static DnsHostResolver Instance { get; } = new();

    /// <inheritdoc />
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>Plain TCP connections.</summary>
internal sealed class TcpSocketDialer : ISocketDialer
{
    public static TcpSocketDialer Instance { get; } = new();

    /// <inheritdoc />
    public async ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
