using System.Security.Cryptography;
using System.Text;

namespace Thaiyyal.Server.Hosting;

/// <summary>
/// Who a request comes from, for rate limits and the per-client run cap: a digest of an API key the server
/// accepted, else the client address (the forwarded one when the peer is a trusted proxy). A key the server does
/// not know never names a client, so random keys cannot mint fresh buckets.
/// </summary>
public static class ClientIdentity
{
    private const string ItemKey = "thaiyyal.client";

    /// <summary>Called by authentication once the presented key is accepted.</summary>
    public static void Authenticated(HttpContext http, byte[] keyDigest) =>
        http.Items[ItemKey] = "key:" + Convert.ToHexString(keyDigest)[..16];

    public static string Of(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var key) && key is string s ? s : "ip:" + http.Connection.RemoteIpAddress;

    internal static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
