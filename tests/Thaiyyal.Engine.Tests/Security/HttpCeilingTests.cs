using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Tests.Http.Support;
using static Thaiyyal.Engine.Tests.Http.Support.HttpNodeRunner;

namespace Thaiyyal.Engine.Tests.Security;

/// <summary>Issue 10, item 7: a named client cannot raise the host's ceilings, and requests are not silently re-sent.</summary>
public sealed class HttpCeilingTests
{
    [Fact]
    public async Task A_named_client_timeout_above_the_policy_is_clamped_to_it()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapGet("/slow", async (HttpContext c) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted);
                return Results.Text("late");
            }));
        using var http = new OutboundHttp(LoopbackAllowed with { Timeout = TimeSpan.FromSeconds(1) });
        http.Clients.Register(new NamedHttpClientConfig
        {
            Uid = "slow",
            BaseUrl = server.Url("/"),
            Network = new HttpClientNetwork { Timeout = TimeSpan.FromMinutes(10) },
        });
        var error = await ErrorAsync(http, Data("/slow", ("http_client_uid", "slow")));
        Assert.Equal("error executing node call: HTTP request failed: timeout after 1s", error);
    }

    [Fact]
    public void The_narrower_timeout_wins_and_zero_means_the_other()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), OutboundHttp.NarrowTimeout(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(5), OutboundHttp.NarrowTimeout(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(30), OutboundHttp.NarrowTimeout(TimeSpan.Zero, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(5), OutboundHttp.NarrowTimeout(TimeSpan.FromSeconds(5), TimeSpan.Zero));
    }

    [Fact]
    public async Task A_get_whose_server_hangs_up_is_sent_once()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                    var buffer = new byte[4096];
                    _ = await client.GetStream().ReadAsync(buffer, stop.Token);
                    // Hang up without a byte of response.
                }
            }
            catch (OperationCanceledException)
            {
                // The test is over.
            }
        });
        using var http = new OutboundHttp(LoopbackAllowed);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var error = await ErrorAsync(http, Data($"http://127.0.0.1:{port}/x"));
        Assert.StartsWith("error executing node call: HTTP request failed:", error, StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref connections));
        await stop.CancelAsync();
        await accepting;
    }
}
