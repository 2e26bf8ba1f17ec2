using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Server.Tests.Traffic;

namespace Thaiyyal.Server.Tests.Security;

/// <summary>
/// The built server as a child process under attack, with what the hostile battery reads from outside: answers with
/// their bodies, the peak RSS and CPU time of the process (<c>/proc/&lt;pid&gt;</c>), and a health check.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    /// <summary>The longest any answer may take: the issue's 10 s run deadline plus room for a shared 2-core machine.</summary>
    public static readonly TimeSpan AnswerDeadline = TimeSpan.FromSeconds(40);

    private const long OneGibibyte = 1024L * 1024 * 1024;

    private readonly ServerProcess _process;

    private HostileServer(ServerProcess process, Uri url)
    {
        _process = process;
        Url = url;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = url, Timeout = AnswerDeadline };
    }

    public Uri Url { get; }

    /// <summary>Every request of this client must be answered within <see cref="AnswerDeadline"/> (its timeout).</summary>
    public HttpClient Client { get; }

    public static async Task<HostileServer> StartAsync(params string[] args)
    {
        var process = ServerProcess.Start(["-addr", "127.0.0.1:0", "-drain-delay", "0s", .. args]);
        try
        {
            return new HostileServer(process, await process.WaitUntilListeningAsync(TimeSpan.FromSeconds(60)));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>POSTs <paramref name="json"/> (with <paramref name="apiKey"/> when given) and returns the status and the parsed body.</summary>
    public async Task<Answer> PostAsync(string path, string json, string? apiKey = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (apiKey is not null) request.Headers.Add("X-API-Key", apiKey);
        using var response = await Client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new Answer(response.StatusCode, text);
    }

    /// <summary>Peak resident set size of the server process so far (<c>VmHWM</c>), in bytes.</summary>
    public long PeakRssBytes() => StatusField("VmHWM:");

    /// <summary>User plus system CPU time the server process has used, in seconds.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    /// <summary>
    /// After an attack: the peak RSS stayed under 1 GiB, readiness answers 200, and a normal run with
    /// <paramref name="apiKey"/> succeeds (waiting out one <c>Retry-After</c> if the attack emptied the client's bucket).
    /// </summary>
    public async Task AssertHealthyAsync(string? apiKey = null)
    {
        var peak = PeakRssBytes();
        Assert.True(peak < OneGibibyte, $"peak RSS {peak / (1024 * 1024)} MiB");
        using (var ready = await Client.GetAsync("/health/ready"))
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var run = await PostAsync("/api/v1/workflow/execute", Payloads.Addition, apiKey);
        for (var attempt = 0; attempt < 5 && run.Status == HttpStatusCode.TooManyRequests; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            run = await PostAsync("/api/v1/workflow/execute", Payloads.Addition, apiKey);
        }
        Assert.True(run.Status == HttpStatusCode.OK, $"a normal run after the attack: {run}");
        Assert.Equal(15, run.Body!["results"]!["node_results"]!["3"]!.GetValue<double>());
    }

    /// <summary>A gauge or counter of the server's own <c>/metrics</c>.</summary>
    public async Task<double?> MetricAsync(string family, params string[] labels) =>
        Scrape.Value(await Client.GetStringAsync("/metrics"), family, labels);

    private long StatusField(string name)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith(name, StringComparison.Ordinal));
        var kibibytes = long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kibibytes * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }
}

/// <summary>A status and the JSON body of one answer.</summary>
public sealed record Answer(HttpStatusCode Status, string Text)
{
    public JsonNode? Body { get; } = Text.StartsWith('{') ? JsonNode.Parse(Text) : null;

    public string? Error => Body?["error"]?.GetValue<string>();

    public string? Details => Body?["details"]?.GetValue<string>();

    public override string ToString() => $"{(int)Status} {(Text.Length > 400 ? Text[..400] + "…" : Text)}";
}
