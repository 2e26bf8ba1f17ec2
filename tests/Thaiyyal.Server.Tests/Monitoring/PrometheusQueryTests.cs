using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Thaiyyal.Engine.Tests.Conformance;
using Thaiyyal.Server.Tests.Deployment;
using Thaiyyal.Server.Tests.TestHost;
using Xunit.Abstractions;

namespace Thaiyyal.Server.Tests.Monitoring;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package; test.sh installs it) scrapes the server every second
/// under traffic, with the shipped alert rules loaded; then every PromQL query of docs/operations.md, of the
/// Grafana dashboards and of the alert rules is evaluated through Prometheus's HTTP API and must return data.
/// </summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class PrometheusQueryTests(ITestOutputHelper output)
{
    private static string PrometheusBinary()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("PROMETHEUS_BIN"), "/usr/bin/prometheus", "/usr/local/bin/prometheus" };
        return candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            ?? throw new InvalidOperationException(
                "Prometheus is not installed: run `apt-get install -y prometheus` (./test.sh does it when CI=true or THAIYYAL_INSTALL=1), or set PROMETHEUS_BIN.");
    }

    [Fact]
    public async Task Every_documented_dashboard_and_alert_query_returns_data_from_a_real_prometheus()
    {
        var binary = PrometheusBinary();
        var queries = DeploymentFilesTests.GuideQueries().Concat(DeploymentFilesTests.DashboardQueries()).Concat(DeploymentFilesTests.AlertQueries())
            .Distinct(StringComparer.Ordinal).ToList();

        // http nodes may call the server itself (loopback, any port) so that outbound-call metrics have data.
        await using var server = await RunningServer.StartAsync(RunningServer.Settings("-rate-limit", "0", "-read-rate-limit", "0", "-max-node-executions", "50",
            "-http-allow-localhost", "-http-allowed-ports="));
        var work = Directory.CreateTempSubdirectory("thaiyyal-prometheus-").FullName;
        var port = FreePort();
        var config = Path.Combine(work, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {Path.Combine(ConformanceCases.RepositoryRoot(), "deployments", "prometheus", "alerts.yml")}
            scrape_configs:
              - job_name: thaiyyal-server
                scrape_interval: 1s
                metrics_path: /metrics
                static_configs:
                  - targets: ["127.0.0.1:{server.BaseAddress.Port}"]
            """);
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(work, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn" })
            info.ArgumentList.Add(arg);
        using var prometheus = Process.Start(info)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        prometheus.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        prometheus.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitAsync(async () => (await TryGetAsync(api, "-/ready")) == HttpStatusCode.OK, TimeSpan.FromSeconds(30),
                () => "Prometheus did not become ready:\n" + string.Join("\n", log));

            using var traffic = new CancellationTokenSource();
            var load = GenerateTrafficAsync(server, traffic.Token);
            // Enough scrapes under traffic that every rate() and histogram_quantile() has two samples that differ.
            await WaitAsync(async () => await ScalarAsync(api, """count_over_time(up{job="thaiyyal-server"}[1m])""") >= 6, TimeSpan.FromSeconds(60),
                () => "Prometheus did not scrape the server:\n" + string.Join("\n", log));
            await traffic.CancelAsync();
            await load;

            var failures = new List<string>();
            foreach (var query in queries)
            {
                var result = await QueryAsync(api, query);
                output.WriteLine($"{result.Count,3} series  {query}");
                if (!result.Any(IsFiniteSample)) failures.Add($"{query} -> {new JsonArray([.. result.Select(r => r?.DeepClone())]).ToJsonString()}");
            }
            Assert.True(failures.Count == 0, "queries without data:\n" + string.Join("\n", failures));
            Assert.True(queries.Count >= 20, $"only {queries.Count} queries found");
        }
        finally
        {
            if (!prometheus.HasExited) prometheus.Kill();
            await prometheus.WaitForExitAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Successful, failing, over-the-limit runs and outbound calls (made, and refused), in a loop.</summary>
    private static async Task GenerateTrafficAsync(RunningServer server, CancellationToken stop)
    {
        var self = new Uri(server.BaseAddress, "/health/live").ToString();
        var call = $$$"""{"nodes":[{"id":"get","type":"http","data":{"url":"{{{self}}}"}}],"edges":[]}""";
        var blocked = """{"nodes":[{"id":"blocked","type":"http","data":{"url":"http://169.254.169.254/latest/meta-data/"}}],"edges":[]}""";
        string[] payloads = [Payloads.Addition, Payloads.DivideByZero, Payloads.Numbers(60), call, blocked];
        while (!stop.IsCancellationRequested)
        {
            foreach (var payload in payloads)
            {
                using var response = await server.PostJsonAsync("/api/v1/workflow/execute", payload, CancellationToken.None);
            }
            using (await server.Client.GetAsync("/api/v1/nodes", CancellationToken.None)) { }
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static bool IsFiniteSample(JsonNode? series) =>
        series?["value"]?[1]?.GetValue<string>() is { } text
        && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && double.IsFinite(v);

    private static async Task<JsonArray> QueryAsync(HttpClient api, string query)
    {
        var body = JsonNode.Parse(await api.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(query)))!;
        Assert.Equal("success", body["status"]!.GetValue<string>());
        return body["data"]!["result"]!.AsArray();
    }

    private static async Task<double> ScalarAsync(HttpClient api, string query)
    {
        var result = await QueryAsync(api, query);
        return result.Count == 0 ? 0 : double.Parse(result[0]!["value"]![1]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient api, string path)
    {
        try
        {
            using var response = await api.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
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
}
