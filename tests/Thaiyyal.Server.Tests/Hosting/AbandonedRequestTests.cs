using System.Net;
using System.Net.Sockets;
using System.Text;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Hosting;

/// <summary>
/// A client that resets its connection in the middle of a request has nobody left to answer: the server records it as
/// 499 (client closed request), never as a 500 it did not send. The soak's "no 5xx" check counts the server's own metric.
/// </summary>
public sealed class AbandonedRequestTests
{
    [Fact]
    public async Task A_connection_reset_mid_body_or_mid_run_is_recorded_as_499_not_500()
    {
        await using var server = ServerProcess.Start(["-addr", "127.0.0.1:0", "-drain-delay", "0s", "-rate-limit", "0"]);
        var url = await server.WaitUntilListeningAsync();
        using var client = new HttpClient { BaseAddress = url };
        // Each reset waits until the server is seen working on the request (a reset that arrives before the server has read
        // the bytes discards them: there would be no request at all). One whole run first warms the pipeline.
        using (var warm = await client.PostAsync("/api/v1/workflow/execute", new StringContent("""{"nodes":[{"id":"v","type":"number","data":{"value":1}}]}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        // Half a body, then a reset once the request is active (its endpoint waits for the rest of the body).
        await ResetWhenAsync(client, "POST /api/v1/workflow/execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"nodes\":[",
            "http_server_active_requests{", "http_request_method=\"POST\"");
        // A whole request whose run is waiting in its delay, then a reset.
        var delay = """{"nodes":[{"id":"v","type":"number","data":{"value":7}},{"id":"wait","type":"delay","data":{"duration":"30s"}}],"edges":[{"source":"v","target":"wait"}]}""";
        await ResetWhenAsync(client, $"POST /api/v1/workflow/execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {delay.Length}\r\n\r\n{delay}",
            "workflow_runs_in_flight{", "");

        string metrics = "";
        for (var i = 0; i < 100; i++)
        {
            metrics = await client.GetStringAsync("/metrics");
            if (Abandoned(metrics) >= 2) break;
            await Task.Delay(100);
        }
        Assert.Equal(2, Abandoned(metrics));
        Assert.DoesNotContain(metrics.Split('\n'), l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                                                        && l.Contains("http_response_status_code=\"5", StringComparison.Ordinal));
    }

    private static double Abandoned(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                                       && l.Contains("http_route=\"/api/v1/workflow/execute\"", StringComparison.Ordinal)
                                       && l.Contains("http_response_status_code=\"499\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Sends <paramref name="request"/> on a new connection, waits until the server's metrics show a series starting with
    /// <paramref name="series"/> and containing <paramref name="label"/> at 1, then closes the connection with a reset.
    /// </summary>
    private static async Task ResetWhenAsync(HttpClient client, string request, string series, string label)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, client.BaseAddress!.Port);
        await socket.SendAsync(Encoding.UTF8.GetBytes(request));
        var seen = false;
        for (var i = 0; i < 600 && !seen; i++)
        {
            var metrics = await client.GetStringAsync("/metrics");
            seen = metrics.Split('\n').Any(l => l.StartsWith(series, StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
            if (!seen) await Task.Delay(50);
        }
        Assert.True(seen, $"the server never showed {series}…{label} at 1");
        await Task.Delay(100);
        socket.LingerState = new LingerOption(true, 0); // close with RST, as a killed client or a timed-out proxy does
        socket.Close();
    }
}
