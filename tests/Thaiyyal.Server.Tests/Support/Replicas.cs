using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Support;

/// <summary>In-process replicas on one PostgreSQL database, as the replica tests start them.</summary>
internal static class Replicas
{
    /// <summary>The encryption key every replica of a test shares (they read each other's sealed secrets).</summary>
    public static readonly string Key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray());

    /// <summary>
    /// A replica named <paramref name="instance"/>, without rate limits, with a 6 s lease unless <paramref name="flags"/>
    /// give one. The replicas share the test process with every other test: a 2 s lease (a heartbeat every 667 ms) was
    /// lost to a stall of that process on a loaded CI machine, and another replica marked a healthy run interrupted.
    /// </summary>
    public static Task<RunningServer> StartAsync(string database, string instance, params string[] flags) =>
        RunningServer.StartAsync(RunningServer.Settings(
            new Dictionary<string, string> { ["DATABASE_URL"] = database, ["THAIYYAL_ENCRYPTION_KEY"] = Key },
            ["-rate-limit", "0", "-read-rate-limit", "0", "-instance-id", instance, .. flags.Contains("-lease") ? Array.Empty<string>() : ["-lease", "6s"], .. flags]));
}
