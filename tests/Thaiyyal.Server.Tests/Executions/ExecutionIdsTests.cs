using System.Security.Cryptography;
using System.Text;
using Thaiyyal.Server.Executions;

namespace Thaiyyal.Server.Tests.Executions;

public sealed class ExecutionIdsTests
{
    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public void The_payload_hash_is_right_for_repeated_alternating_and_changed_payloads()
    {
        var a = Encoding.UTF8.GetBytes("""{"nodes":[{"id":"1","type":"number","data":{"value":10}}],"edges":[]}""");
        var b = Encoding.UTF8.GetBytes("""{"nodes":[{"id":"1","type":"number","data":{"value":11}}],"edges":[]}""");
        string[] expected = [Sha256Hex(a), Sha256Hex(b)];

        // The same bytes in new arrays, one payload after the other and alternating.
        foreach (var i in new[] { 0, 0, 1, 1, 0, 1, 0 })
            Assert.Equal(expected[i], ExecutionIds.PayloadHash((i == 0 ? a : b).ToArray()));

        // A payload array written over after it was hashed: the kept copy is not the array, so its new bytes hash anew.
        var reused = a.ToArray();
        Assert.Equal(expected[0], ExecutionIds.PayloadHash(reused));
        b.CopyTo(reused, 0);
        Assert.Equal(expected[1], ExecutionIds.PayloadHash(reused));

        // Empty, and a payload larger than what is kept.
        Assert.Equal(Sha256Hex([]), ExecutionIds.PayloadHash([]));
        var large = new byte[200_000];
        Random.Shared.NextBytes(large);
        Assert.Equal(Sha256Hex(large), ExecutionIds.PayloadHash(large));
        Assert.Equal(Sha256Hex(large), ExecutionIds.PayloadHash(large.ToArray()));
        Assert.Equal(expected[0], ExecutionIds.PayloadHash(a));
    }
}
