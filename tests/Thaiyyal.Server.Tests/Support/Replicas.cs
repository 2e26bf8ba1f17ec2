using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Support;

/// <summary>In-process replicas on one PostgreSQL database, as the replica tests start them.</summary>
internal static class Replicas
{
    /// <summary>The encryption key every replica of a test shares (they read each other's sealed secrets).</summary>
    public static readonly string Key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray());

    /// <summary>A replica named <paramref name="instance"/>, without rate limits, with a 2 s lease.</summary>
    public static Task<RunningServer> StartAsync(string database, string instance, params string[] flags) =>
        RunningServer.StartAsync(RunningServer.Settings(
            new Dictionary<string, string> { ["DATABASE_URL"] = database, ["THAIYYAL_ENCRYPTION_KEY"] = Key },
            ["-rate-limit", "0", "-read-rate-limit", "0", "-instance-id", instance, "-lease", "2s", .. flags]));
}
