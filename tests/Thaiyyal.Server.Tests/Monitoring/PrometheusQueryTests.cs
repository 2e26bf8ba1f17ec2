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
    [Fact]
    public async Task Every_documented_dashboard_and_alert_query_returns_data_from_a_real_prometheus()
    {
        var queries = DeploymentFilesTests.GuideQueries().Concat(DeploymentFilesTests.DashboardQueries()).Concat(DeploymentFilesTests.AlertQueries())
            .Distinct(StringComparer.Ordinal).ToList();

        // http nodes may call the server itself (loopback, any port) so that outbound-call metrics have data.
        await using var server = await RunningServer.StartAsync(RunningServer.Settings("-rate-limit", "0", "-read-rate-limit", "0", "-max-node-executions", "50",
            "-http-allow-localhost", "-http-allowed-ports="));
        await using var prometheus = await PrometheusProcess.StartAsync($"127.0.0.1:{server.BaseAddress.Port}",
            Path.Combine(ConformanceCases.RepositoryRoot(), "deployments", "prometheus", "alerts.yml"));

        using var traffic = new CancellationTokenSource();
        var load = GenerateTrafficAsync(server, traffic.Token);
        // Enough scrapes under traffic that every rate() and histogram_quantile() has two samples that differ.
        await prometheus.WaitForScrapesAsync(6, TimeSpan.FromSeconds(60));
        await traffic.CancelAsync();
        await load;

        var failures = new List<string>();
        foreach (var query in queries)
        {
            var result = await prometheus.QueryAsync(query);
            output.WriteLine($"{result.Count,3} series  {query}");
            if (!result.Any(r => double.IsFinite(PrometheusProcess.SampleOf(r)))) failures.Add($"{query} -> {new JsonArray([.. result.Select(r => r?.DeepClone())]).ToJsonString()}");
        }
        Assert.True(failures.Count == 0, "queries without data:\n" + string.Join("\n", failures));
        Assert.True(queries.Count >= 20, $"only {queries.Count} queries found");
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
}
