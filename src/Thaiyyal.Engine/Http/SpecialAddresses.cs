using System.Net;
using System.Net.Sockets;

namespace Thaiyyal.Engine.Http;

/// <summary>
/// The address ranges an outbound request must not reach by default (security.md §2.3 and its Notes):
/// the original's four categories plus every special-purpose range it missed.
/// </summary>
internal static class SpecialAddresses
{
    private static readonly IPNetwork[] Loopback = [Net("127.0.0.0/8"), Net("0.0.0.0/32"), Net("::1/128"), Net("::/128")];

    private static readonly IPNetwork[] Private = [Net("10.0.0.0/8"), Net("172.16.0.0/12"), Net("192.168.0.0/16"), Net("fc00::/7")];

    private static readonly IPNetwork[] LinkLocal = [Net("169.254.0.0/16"), Net("fe80::/10")];

    // AWS/GCP/Azure/OpenStack, AWS ECS task metadata, Alibaba, Oracle legacy, AWS IPv6.
    private static readonly IPAddress[] CloudMetadata =
    [
        IPAddress.Parse("169.254.169.254"), IPAddress.Parse("169.254.170.2"), IPAddress.Parse("100.100.100.200"),
        IPAddress.Parse("192.0.0.192"), IPAddress.Parse("fd00:ec2::254"),
    ];

    private static readonly (IPNetwork Network, string Name)[] Reserved =
    [
        (Net("0.0.0.0/8"), "this network"),
        (Net("100.64.0.0/10"), "carrier-grade NAT"),
        (Net("192.0.0.0/24"), "IETF protocol assignments"),
        (Net("192.0.2.0/24"), "documentation"),
        (Net("192.88.99.0/24"), "6to4 relay anycast"),
        (Net("198.18.0.0/15"), "benchmarking"),
        (Net("198.51.100.0/24"), "documentation"),
        (Net("203.0.113.0/24"), "documentation"),
        (Net("224.0.0.0/4"), "multicast"),
        (Net("240.0.0.0/4"), "reserved"),
        (Net("ff00::/8"), "multicast"),
        (Net("fec0::/10"), "site-local"),
        (Net("100::/64"), "discard-only"),
        (Net("2001::/23"), "IETF special-purpose (Teredo, benchmarking, ORCHID)"),
        (Net("2001:db8::/32"), "documentation"),
        (Net("3fff::/20"), "documentation"),
    ];

    private static readonly IPNetwork GlobalUnicastV6 = Net("2000::/3");

    public static bool IsLoopback(IPAddress address) => InAny(Loopback, address);

    public static bool IsPrivate(IPAddress address) => InAny(Private, address);

    public static bool IsLinkLocal(IPAddress address) => InAny(LinkLocal, address);

    public static bool IsCloudMetadata(IPAddress address)
    {
        var bare = WithoutScope(address);
        foreach (var m in CloudMetadata)
        {
            if (m.Equals(bare)) return true;
        }
        return false;
    }

    /// <summary>The special-purpose range <paramref name="address"/> falls in ("carrier-grade NAT 100.64.0.0/10"), or null.</summary>
    public static string? ReservedRange(IPAddress address)
    {
        foreach (var (network, name) in Reserved)
        {
            if (network.Contains(address)) return $"{name} {network}";
        }
        // Anything outside IPv6 global unicast that no category above claimed is not a place to send requests.
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && !GlobalUnicastV6.Contains(address)) return $"non-global IPv6 {address}";
        return null;
    }

    /// <summary>
    /// An IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4, Teredo): translation
    /// gateways and dual-stack sockets can turn these into connections to the IPv4 address.
    /// </summary>
    public static bool TryGetEmbeddedIPv4(IPAddress address, out IPAddress ipv4, out string form)
    {
        ipv4 = IPAddress.None;
        form = "";
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (address.IsIPv4MappedToIPv6)
        {
            (ipv4, form) = (new IPAddress(b[12..]), "an IPv4-mapped IPv6 address");
            return true;
        }
        if (b[..12].IndexOfAnyExcept((byte)0) < 0 && (b[12] | b[13]) != 0)
        {
            (ipv4, form) = (new IPAddress(b[12..]), "an IPv4-compatible IPv6 address");
            return true;
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) // 64:ff9b::/96 and 64:ff9b:1::/48
        {
            (ipv4, form) = (new IPAddress(b[12..]), "a NAT64 IPv6 address");
            return true;
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            (ipv4, form) = (new IPAddress(b[2..6]), "a 6to4 IPv6 address");
            return true;
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            Span<byte> client = stackalloc byte[4];
            for (var i = 0; i < 4; i++) client[i] = (byte)~b[12 + i];
            (ipv4, form) = (new IPAddress(client), "a Teredo IPv6 address");
            return true;
        }
        return false;
    }

    private static bool InAny(IPNetwork[] networks, IPAddress address)
    {
        foreach (var n in networks)
        {
            if (n.Contains(address)) return true;
        }
        return false;
    }

    private static IPAddress WithoutScope(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

    private static IPNetwork Net(string cidr) => IPNetwork.Parse(cidr);
}
