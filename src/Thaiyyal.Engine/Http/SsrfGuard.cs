using System.Net;

namespace Thaiyyal.Engine.Http;

/// <summary>
/// The connection-time check (security.md §2.5 Notes). Installed as the handler's <c>ConnectCallback</c>:
/// it resolves the host itself, refuses the connection if any address is not allowed, and connects only
/// to the addresses it validated, so a second, different DNS answer (rebinding) is never used.
/// </summary>
internal sealed class SsrfGuard(SsrfPolicy policy, IHostResolver resolver, ISocketDialer dialer)
{
    /// <summary>The <see cref="System.Net.Http.SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var port = context.DnsEndPoint.Port;
        var addresses = await ValidateAsync(HostNames.Normalize(context.DnsEndPoint.Host), port, cancellationToken).ConfigureAwait(false);
        Exception? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await dialer.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                last = e; // try the next validated address, as the stack's own happy path would
            }
        }
        throw last ?? new HttpRequestException("no address to connect to");
    }

    /// <summary>The addresses <paramref name="host"/> may be reached at; throws <see cref="SsrfBlockedException"/>.</summary>
    public async Task<IPAddress[]> ValidateAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (policy.CheckHost(host, port) is { } refused) throw new SsrfBlockedException(refused);
        if (HostNames.TryParseAddress(host, out var literal)) return [literal];

        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            addresses = []; // a failed lookup is a refusal, never a pass (the original failed open)
        }
        if (addresses is null || addresses.Length == 0) throw new SsrfBlockedException(new(SsrfReasons.Dns, $"could not resolve host: {host}", host));
        foreach (var address in addresses)
        {
            if (policy.CheckResolvedAddress(host, address) is { } blocked) throw new SsrfBlockedException(blocked);
        }
        return addresses.Distinct().ToArray();
    }
}
