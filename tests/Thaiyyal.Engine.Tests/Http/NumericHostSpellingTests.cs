using System.Globalization;
using System.Net;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Tests.Http;

/// <summary>
/// Every way a resolver would read a refused IPv4 address (one to four parts, each decimal, octal or hex)
/// is refused with the same reason as the address itself. Seeded, so a failure reproduces.
/// </summary>
public sealed class NumericHostSpellingTests
{
    private static readonly string[] RefusedRanges = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "0.0.0.0/8", "224.0.0.0/4"];

    [Fact]
    public void Every_numeric_spelling_of_a_refused_address_is_refused_for_the_same_reason()
    {
        var random = new Random(20240601);
        var policy = new SsrfPolicy(OutboundHttpOptions.Default with { AllowedPorts = [] });
        for (var i = 0; i < 2000; i++)
        {
            var address = RandomAddressIn(IPNetwork.Parse(RefusedRanges[random.Next(RefusedRanges.Length)]), random);
            var spelling = Spell(address, random);
            var expected = policy.CheckAddress(address);

            var block = Uri.TryCreate($"http://{spelling}/", UriKind.Absolute, out var uri) ? policy.CheckUrl(uri) : null;

            Assert.True(block is not null, $"{spelling} ({address}) was not refused");
            Assert.Equal(expected!.Reason, block.Reason);
        }
    }

    private static IPAddress RandomAddressIn(IPNetwork network, Random random)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var hostBits = 32 - network.PrefixLength;
        value |= (uint)(random.NextInt64(0, 1L << hostBits));
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }

    // inet_aton forms: a.b.c.d, a.b.(16 bits), a.(24 bits), (32 bits); each part in base 10, 8 or 16.
    private static string Spell(IPAddress address, Random random)
    {
        var b = address.GetAddressBytes();
        var value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        uint[] parts = random.Next(4) switch
        {
            0 => [b[0], b[1], b[2], b[3]],
            1 => [b[0], b[1], value & 0xffff],
            2 => [b[0], value & 0xffffff],
            _ => [value],
        };
        return string.Join('.', parts.Select(p => random.Next(3) switch
        {
            0 => p.ToString(CultureInfo.InvariantCulture),
            1 => "0" + Convert.ToString(p, 8),
            _ => "0x" + p.ToString("x", CultureInfo.InvariantCulture),
        }));
    }
}
