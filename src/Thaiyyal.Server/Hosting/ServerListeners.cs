using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Thaiyyal.Server.Hosting;

/// <summary>
/// The public listener (<c>-addr</c>) and, when profiling is on, the admin listener (<c>-admin-addr</c>).
/// Connections accepted by the admin listener are marked, so admin routes answer only there.
/// After start-up the endpoints carry the ports actually bound (port 0 picks a free one).
/// </summary>
public sealed class ServerListeners
{
    private const string AdminConnectionMarker = "thaiyyal.admin-connection";
    private readonly List<ListenOptions> _public = [];
    private readonly List<ListenOptions> _admin = [];

    public IReadOnlyList<IPEndPoint> PublicEndpoints => [.. _public.Select(l => l.IPEndPoint).OfType<IPEndPoint>()];

    public IReadOnlyList<IPEndPoint> AdminEndpoints => [.. _admin.Select(l => l.IPEndPoint).OfType<IPEndPoint>()];

    /// <summary>True when the request arrived through the admin listener.</summary>
    public static bool IsAdminConnection(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(AdminConnectionMarker) == true;

    /// <summary>A URL a person can open for an endpoint (<c>localhost</c> for the wildcard address).</summary>
    public static string BrowseUrl(IPEndPoint endpoint) =>
        endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
            ? $"http://localhost:{endpoint.Port}"
            : endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"http://[{endpoint.Address}]:{endpoint.Port}"
                : $"http://{endpoint.Address}:{endpoint.Port}";

    public void Configure(KestrelServerOptions kestrel, ServerSettings settings, bool adminListener)
    {
        Listen(kestrel, settings.Address, l => Add(l, _public, admin: false));
        if (adminListener) Listen(kestrel, settings.AdminAddress, l => Add(l, _admin, admin: true));
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, Action<ListenOptions> configure)
    {
        // Every interface: IPv6 dual-stack, falling back to IPv4 where IPv6 is unavailable.
        if (address.IsAnyHost) kestrel.ListenAnyIP(address.Port, configure);
        else foreach (var ip in Resolve(address)) kestrel.Listen(ip, address.Port, configure);
    }

    private static void Add(ListenOptions listen, List<ListenOptions> list, bool admin)
    {
        listen.Protocols = HttpProtocols.Http1;
        if (admin)
        {
            listen.Use(next => connection =>
            {
                connection.Items[AdminConnectionMarker] = true;
                return next(connection);
            });
        }
        list.Add(listen);
    }

    /// <summary><c>localhost</c>: loopback (IPv4 and, when available, IPv6); otherwise the name's addresses.</summary>
    private static IEnumerable<IPAddress> Resolve(ListenAddress address)
    {
        if (IPAddress.TryParse(address.Host, out var ip)) return [ip];
        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Port 0 cannot be shared by two sockets; a dynamic loopback port binds IPv4 only.
            return address.Port == 0 || !System.Net.Sockets.Socket.OSSupportsIPv6 ? [IPAddress.Loopback] : [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }
        return Dns.GetHostAddresses(address.Host);
    }
}
