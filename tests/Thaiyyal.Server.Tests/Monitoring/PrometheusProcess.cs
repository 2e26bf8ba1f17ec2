using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Thaiyyal.Server.Tests.Monitoring;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package; test.sh installs it) on a loopback port, scraping one target
/// every second with an optional rule file, queried through its HTTP API.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _work;
    private readonly ConcurrentQueue<string> _log = new();

    private PrometheusProcess(Process process, string work, int port)
    {
        _process = process;
        _work = work;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Api { get; }

    public string Log => string.Join("\n", _log);

    public static string Binary()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("PROMETHEUS_BIN"), "/usr/bin/prometheus", "/usr/local/bin/prometheus" };
        return candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            ?? throw new InvalidOperationException(
                "Prometheus is not installed: run `apt-get install -y prometheus` (./test.sh does it when CI=true or THAIYYAL_INSTALL=1), or set PROMETHEUS_BIN.");
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port) as job <c>thaiyyal-server</c> and waits until it is ready.</summary>
    public static async Task<PrometheusProcess> StartAsync(string target, string? ruleFile = null)
    {
        var binary = Binary();
        var work = Directory.CreateTempSubdirectory("thaiyyal-prometheus-").FullName;
        var port = FreePort();
        var config = Path.Combine(work, "prometheus.yml");
        var rules = ruleFile is null ? "" : $"rule_files:\n  - {ruleFile}\n";
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            {rules}scrape_configs:
              - job_name: thaiyyal-server
                scrape_interval: 1s
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target}"]
            """);
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(work, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn" })
            info.ArgumentList.Add(arg);
        var prometheus = new PrometheusProcess(Process.Start(info)!, work, port);
        prometheus._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) prometheus._log.Enqueue(e.Data); };
        prometheus._process.OutputDataReceived += (_, e) => { if (e.Data is not null) prometheus._log.Enqueue(e.Data); };
        prometheus._process.BeginErrorReadLine();
        prometheus._process.BeginOutputReadLine();
        try
        {
            await WaitAsync(async () => await prometheus.ReadyAsync(), TimeSpan.FromSeconds(30), () => "Prometheus did not become ready:\n" + prometheus.Log);
            return prometheus;
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until Prometheus has scraped the target at least <paramref name="scrapes"/> times in the last minute.</summary>
    public Task WaitForScrapesAsync(int scrapes, TimeSpan timeout) =>
        WaitAsync(async () => await ScalarAsync("""count_over_time(up{job="thaiyyal-server"}[1m])""") >= scrapes, timeout,
            () => "Prometheus did not scrape the server:\n" + Log);

    /// <summary>The result vector of an instant query.</summary>
    public async Task<JsonArray> QueryAsync(string query)
    {
        var body = JsonNode.Parse(await Api.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(query)))!;
        Assert.Equal("success", body["status"]!.GetValue<string>());
        return body["data"]!["result"]!.AsArray();
    }

    public async Task<double> ScalarAsync(string query)
    {
        var result = await QueryAsync(query);
        return result.Count == 0 ? 0 : double.Parse(result[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    /// <summary>The sample value of a series of a query result (NaN when it is not a number).</summary>
    public static double SampleOf(JsonNode? series) =>
        series?["value"]?[1]?.GetValue<string>() is { } text
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await Api.GetAsync("-/ready");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(250);
        }
        throw new TimeoutException(describe());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
