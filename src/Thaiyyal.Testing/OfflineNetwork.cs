using System.Collections.Concurrent;
using System.Net;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Testing;

/// <summary>
/// The network of a test run without <c>--allow-network</c>: every name look-up and every connection is refused
/// and remembered, so an <c>http</c> node that was not pinned fails its case instead of reaching a real server.
/// </summary>
internal sealed class OfflineNetwork : IHostResolver, ISocketDialer
{
    private readonly ConcurrentQueue<string> _refused = new();

    /// <summary>
    /// Lets every address through to this network, so a call to 127.0.0.1 or a private address is refused here
    /// (and reported as an unpinned http node) instead of by the SSRF policy; nothing leaves either way.
    /// </summary>
    public static OutboundHttpOptions Policy { get; } = new()
    {
        AllowedPorts = [],
        AllowLocalhost = true,
        AllowPrivateIps = true,
        AllowLinkLocal = true,
        AllowCloudMetadata = true,
    };

    /// <summary>Hosts and addresses the run tried to reach.</summary>
    public IReadOnlyCollection<string> Refused => _refused;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        _refused.Enqueue(host);
        return Task.FromException<IPAddress[]>(new HttpRequestException($"network access is off in workflow tests (tried to look up {host})"));
    }

    public ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        _refused.Enqueue(endpoint.ToString());
        return ValueTask.FromException<Stream>(new HttpRequestException($"network access is off in workflow tests (tried to connect to {endpoint})"));
    }
}

/// <summary>A clock that always reads the test's <c>now</c>; timers (deadlines, sleeps) still run on real time.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
