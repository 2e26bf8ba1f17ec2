using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Engine.Tests.Http.Support;

/// <summary>
/// A resolver that answers from a table. A host may have a sequence of answers (one per lookup, the last
/// repeating) to play a rebinding DNS server. Unknown hosts fail like NXDOMAIN.
/// </summary>
internal sealed class FakeResolver : IHostResolver
{
    private readonly ConcurrentDictionary<string, string[][]> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Lookups { get; } = new();

    public FakeResolver Map(string host, params string[] addresses)
    {
        _answers[host] = [addresses];
        return this;
    }

    public FakeResolver Sequence(string host, params string[][] answers)
    {
        _answers[host] = answers;
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups.Enqueue(host);
        if (!_answers.TryGetValue(host, out var answers)) throw new SocketException((int)SocketError.HostNotFound);
        var n = _counts.AddOrUpdate(host, 1, (_, c) => c + 1) - 1;
        var answer = answers[Math.Min(n, answers.Length - 1)];
        return Task.FromResult(answer.Select(IPAddress.Parse).ToArray());
    }
}

/// <summary>
/// Records every connection the guard asks for and refuses it, so no test ever opens a socket to a
/// non-loopback address. Loopback endpoints a test lists explicitly are really dialled.
/// </summary>
internal sealed class RecordingDialer(params IPEndPoint[] realLoopbackEndpoints) : ISocketDialer
{
    public ConcurrentQueue<IPEndPoint> Attempts { get; } = new();

    public async ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(endpoint);
        if (IPAddress.IsLoopback(endpoint.Address) && realLoopbackEndpoints.Contains(endpoint))
            return await TcpSocketDialer.Instance.ConnectAsync(endpoint, cancellationToken);
        throw new SocketException((int)SocketError.ConnectionRefused);
    }
}
