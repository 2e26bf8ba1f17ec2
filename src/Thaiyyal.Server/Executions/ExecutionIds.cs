using System.Security.Cryptography;

namespace Thaiyyal.Server.Executions;

/// <summary>Payload hashes, and how a run was started (the ids come from <see cref="ExecutionIdGenerator"/>).</summary>
public static class ExecutionIds
{
    /// <summary>The header with which the editor marks its runs (<c>X-Thaiyyal-Source: editor</c>).</summary>
    public const string SourceHeader = "X-Thaiyyal-Source";

    /// <summary>
    /// SHA-256 of the payload bytes, lowercase hex. The last payload hashed on this thread is kept (a copy, up to
    /// <see cref="KeptPayloadBytes"/>) with its hash: the history writer hashes one run after another, and a
    /// workflow posted again and again is hashed once (comparing the bytes costs a fiftieth of hashing them).
    /// </summary>
    public static string PayloadHash(byte[] payload)
    {
        if (t_lastPayload is { } last && payload.AsSpan().SequenceEqual(last)) return t_lastHash!;
        var hash = Convert.ToHexStringLower(SHA256.HashData(payload));
        if (payload.Length <= KeptPayloadBytes)
        {
            t_lastPayload = payload.ToArray();
            t_lastHash = hash;
        }
        return hash;
    }

    private const int KeptPayloadBytes = 64 * 1024;

    [ThreadStatic]
    private static byte[]? t_lastPayload;

    [ThreadStatic]
    private static string? t_lastHash;

    /// <summary><c>editor</c> when the request carries <c>X-Thaiyyal-Source: editor</c>, otherwise <c>api</c>.</summary>
    public static string SourceOf(HttpContext http) =>
        string.Equals(http.Request.Headers[SourceHeader].ToString().Trim(), "editor", StringComparison.OrdinalIgnoreCase) ? "editor" : "api";
}
