using System.Security.Cryptography;

namespace Thaiyyal.Server.Executions;

/// <summary>Execution ids and payload hashes, and how a run was started.</summary>
public static class ExecutionIds
{
    /// <summary>The header with which the editor marks its runs (<c>X-Thaiyyal-Source: editor</c>).</summary>
    public const string SourceHeader = "X-Thaiyyal-Source";

    /// <summary>16 lowercase hex characters, the engine's execution id format (also the run's <c>execution_id</c>).</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>SHA-256 of the payload bytes, lowercase hex.</summary>
    public static string PayloadHash(byte[] payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    /// <summary><c>editor</c> when the request carries <c>X-Thaiyyal-Source: editor</c>, otherwise <c>api</c>.</summary>
    public static string SourceOf(HttpContext http) =>
        string.Equals(http.Request.Headers[SourceHeader].ToString().Trim(), "editor", StringComparison.OrdinalIgnoreCase) ? "editor" : "api";
}
