using System.Security.Cryptography;

namespace Thaiyyal.Server.Executions;

/// <summary>Payload hashes, and how a run was started (the ids come from <see cref="ExecutionIdGenerator"/>).</summary>
public static class ExecutionIds
{
    /// <summary>The header with which the editor marks its runs (<c>X-Thaiyyal-Source: editor</c>).</summary>
    public const string SourceHeader = "X-Thaiyyal-Source";

    /// <summary>SHA-256 of the payload bytes, lowercase hex.</summary>
    public static string PayloadHash(byte[] payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    /// <summary><c>editor</c> when the request carries <c>X-Thaiyyal-Source: editor</c>, otherwise <c>api</c>.</summary>
    public static string SourceOf(HttpContext http) =>
        string.Equals(http.Request.Headers[SourceHeader].ToString().Trim(), "editor", StringComparison.OrdinalIgnoreCase) ? "editor" : "api";
}
