using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Thaiyyal.Engine.Tests.Conformance;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Monitoring;

/// <summary>
/// A real Prometheus evaluates the shipped alert rules (their <c>for:</c> shortened to 0 s) against a real server
/// whose run queue is full, and delivers the firing <c>ThaiyyalRunSlotsExhausted</c> to a real Alertmanager
/// (Debian's <c>prometheus-alertmanager</c>; test.sh installs it), all on loopback.
/// </summary>
[Collection(ProcessWideMetrics.Name)]
public sealed partial class AlertDeliveryTests
{
    private static string Binary(string variable, params string[] paths) =>
        new[] { Environment.GetEnvironmentVariable(variable) }.Concat(paths).FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
        ?? throw new InvalidOperationException($"{paths[0]} is not installed: run ./test.sh (it installs prometheus and prometheus-alertmanager) or set {variable}.");

    [Fact]
    public async Task A_full_run_queue_fires_an_alert_that_reaches_alertmanager()
    {
        var prometheusBinary = Binary("PROMETHEUS_BIN", "/usr/bin/prometheus", "/usr/local/bin/prometheus");
        var alertmanagerBinary = Binary("ALERTMANAGER_BIN", "/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager");
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartAsync(
            RunningServer.Settings("-rate-limit", "0", "-read-rate-limit", "0", "-max-concurrent-runs", "1", "-run-queue-length", "0"),
            engine => engine.Registry.Register(sleep));
        var work = Directory.CreateTempSubdirectory("thaiyyal-alerts-").FullName;
        var amPort = FreePort();
        var promPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(work, "alertmanager.yml"), """
            route:
              receiver: operators
              group_wait: 0s
            receivers:
              - name: operators
            """);
        var rules = ForClause().Replace(await File.ReadAllTextAsync(Path.Combine(ConformanceCases.RepositoryRoot(), "deployments", "prometheus", "alerts.yml")), "for: 0s");
        await File.WriteAllTextAsync(Path.Combine(work, "alerts.yml"), rules);
        await File.WriteAllTextAsync(Path.Combine(work, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {Path.Combine(work, "alerts.yml")}
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ["127.0.0.1:{amPort}"]
            scrape_configs:
              - job_name: thaiyyal-server
                static_configs:
                  - targets: ["127.0.0.1:{server.BaseAddress.Port}"]
            """);
        using var alertmanager = Start(alertmanagerBinary, $"--config.file={Path.Combine(work, "alertmanager.yml")}", $"--storage.path={Path.Combine(work, "am")}",
            $"--web.listen-address=127.0.0.1:{amPort}", "--cluster.listen-address=", "--log.level=warn");
        using var prometheus = Start(prometheusBinary, $"--config.file={Path.Combine(work, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(work, "data")}",
            $"--web.listen-address=127.0.0.1:{promPort}", "--log.level=warn");
        using var cts = new CancellationTokenSource();
        try
        {
            using var amApi = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{amPort}/"), Timeout = TimeSpan.FromSeconds(10) };
            // Fill the only run slot, then get refused: run_queue_full rises.
            var running = server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Sleep(600_000), cts.Token);
            await sleep.Started.WaitAsync(TimeSpan.FromSeconds(30));
            JsonArray? alerts = null;
            for (var i = 0; i < 240; i++)
            {
                using (var refused = await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Addition))
                    Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
                alerts = await TryAlertsAsync(amApi);
                if (alerts?.Any(a => a?["labels"]?["alertname"]?.GetValue<string>() == "ThaiyyalRunSlotsExhausted") == true) break;
                await Task.Delay(500);
            }
            var fired = alerts?.FirstOrDefault(a => a?["labels"]?["alertname"]?.GetValue<string>() == "ThaiyyalRunSlotsExhausted");
            Assert.True(fired is not null, "Alertmanager never received ThaiyyalRunSlotsExhausted; it has: " + alerts?.ToJsonString());
            Assert.Equal("warning", fired!["labels"]!["severity"]!.GetValue<string>());
            Assert.Equal("active", fired["status"]!["state"]!.GetValue<string>());
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }
        finally
        {
            foreach (var p in new[] { prometheus, alertmanager })
            {
                if (!p.HasExited) p.Kill();
                await p.WaitForExitAsync();
            }
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<JsonArray?> TryAlertsAsync(HttpClient api)
    {
        try
        {
            return JsonNode.Parse(await api.GetStringAsync("api/v2/alerts"))?.AsArray();
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
    }

    private static Process Start(string binary, params string[] args)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"for: \d+[smh]")]
    private static partial Regex ForClause();
}
