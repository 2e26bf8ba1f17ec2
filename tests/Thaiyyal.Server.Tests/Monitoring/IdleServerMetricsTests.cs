using System.Text.RegularExpressions;
using Thaiyyal.Engine.Tests.Conformance;
using Thaiyyal.Server.Tests.Deployment;
using Thaiyyal.Server.Tests.TestHost;
using Xunit.Abstractions;

namespace Thaiyyal.Server.Tests.Monitoring;

/// <summary>
/// Issue 15.4, metrics from zero: a freshly started server process (nothing run yet) exposes every metric of the
/// operations guide at 0, and real Prometheus scraping it answers every Grafana panel query with a value.
/// </summary>
public sealed partial class IdleServerMetricsTests(ITestOutputHelper output)
{
    /// <summary>Counter and histogram families named in the shared operations guide and in our docs/operations.md.</summary>
    private static List<string> GuideFamilies()
    {
        var guide = File.ReadAllText(Path.Combine(ConformanceCases.RepositoryRoot(), "..", "shared", "OPERATIONS_GUIDE.md"));
        var ours = File.ReadAllText(Path.Combine(ConformanceCases.RepositoryRoot(), "docs", "operations.md"));
        var table = ours[ours.IndexOf("#### Prometheus metrics", StringComparison.Ordinal)..ours.IndexOf("**Key metrics:**", StringComparison.Ordinal)];
        return [.. SeriesName().Matches(guide + table).Select(m => m.Value)
            .Where(n => !n.StartsWith("dotnet_", StringComparison.Ordinal) && !n.StartsWith("http_server_", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task The_first_scrape_of_a_fresh_server_has_every_guide_metric_at_zero()
    {
        await using var server = ServerProcess.Start(["-addr", "127.0.0.1:0", "-drain-delay", "0s"]);
        var url = await server.WaitUntilListeningAsync();
        using var client = new HttpClient { BaseAddress = url };
        var exposition = await client.GetStringAsync("/metrics");
        var families = GuideFamilies();
        output.WriteLine(string.Join(", ", families));
        Assert.Contains("workflow_execution_duration_bucket", families);
        Assert.Contains("node_executions_success_total", families);
        Assert.Contains("http_call_duration_bucket", families);
        foreach (var family in families)
        {
            var samples = exposition.Split('\n').Where(l => l.StartsWith(family + "{", StringComparison.Ordinal)).ToList();
            Assert.True(samples.Count > 0, $"{family} is missing from the first scrape");
            Assert.All(samples, s => Assert.EndsWith("} 0", s, StringComparison.Ordinal));
        }
        // Known label values: every run status, every registered node type, every limit and refusal reason.
        foreach (var status in new[] { "success", "failure", "timeout", "limit", "cancelled" })
            Assert.Contains($"workflow_execution_duration_count{{otel_scope_name=\"Thaiyyal\",otel_scope_version=\"0.1.0\",status=\"{status}\",workflow_id=\"\"}} 0", exposition, StringComparison.Ordinal);
        foreach (var type in new[] { "number", "operation", "http", "schema_validator", "delay" })
        {
            Assert.Contains($"node_execution_duration_count{{otel_scope_name=\"Thaiyyal\",otel_scope_version=\"0.1.0\",node_type=\"{type}\"}} 0", exposition, StringComparison.Ordinal);
            Assert.Contains($"node_executions_failure_total{{otel_scope_name=\"Thaiyyal\",otel_scope_version=\"0.1.0\",node_type=\"{type}\"}} 0", exposition, StringComparison.Ordinal);
        }
        Assert.Contains("workflow_limit_exceeded_total{otel_scope_name=\"Thaiyyal\",otel_scope_version=\"0.1.0\",limit=\"result_bytes\"} 0", exposition, StringComparison.Ordinal);
        Assert.Contains("ssrf_blocked_total{otel_scope_name=\"Thaiyyal\",otel_scope_version=\"0.1.0\",reason=\"cloud_metadata\"} 0", exposition, StringComparison.Ordinal);
        // Each histogram family is declared once, and after a first run the observed series replaces its zero series.
        Assert.Single(Regex.Matches(exposition, "(?m)^# TYPE workflow_execution_duration histogram$"));
        using (await client.PostAsync("/api/v1/workflow/execute", new StringContent(Payloads.Addition, System.Text.Encoding.UTF8, "application/json"))) { }
        var after = await client.GetStringAsync("/metrics");
        var success = after.Split('\n').Where(l => l.StartsWith("workflow_execution_duration_count{", StringComparison.Ordinal) && l.Contains("status=\"success\"", StringComparison.Ordinal)).ToList();
        Assert.EndsWith("} 1", Assert.Single(success), StringComparison.Ordinal);
        Assert.Single(Regex.Matches(after, "(?m)^# TYPE workflow_execution_duration histogram$"));
    }

    [Fact]
    public async Task Every_dashboard_panel_query_returns_a_value_for_an_idle_server()
    {
        await using var server = ServerProcess.Start(["-addr", "127.0.0.1:0", "-drain-delay", "0s"]);
        var url = await server.WaitUntilListeningAsync();
        await using var prometheus = await PrometheusProcess.StartAsync($"127.0.0.1:{url.Port}");
        // rate() needs two samples in its window; a few scrapes of a server nobody uses.
        await prometheus.WaitForScrapesAsync(4, TimeSpan.FromSeconds(60));
        var failures = new List<string>();
        foreach (var query in DeploymentFilesTests.DashboardQueries().Distinct(StringComparer.Ordinal))
        {
            var result = await prometheus.QueryAsync(query);
            var values = result.Select(PrometheusProcess.SampleOf).ToList();
            output.WriteLine($"{string.Join(" ", values.Take(5)),-30} {query}");
            // Empty is Grafana's "No data": never acceptable.
            if (values.Count == 0) failures.Add($"{query} -> no series");
            // A quantile of no observations, or a success share of no executions, is undefined: Prometheus says NaN.
            else if (query.Contains("histogram_quantile", StringComparison.Ordinal) || query.Contains("success_total", StringComparison.Ordinal)) continue;
            // Every other panel over the engine's own metrics counts something that has not happened yet: 0, the
            // failure ratio included (no runs, no failures).
            else if (OwnMetric().IsMatch(query) && values.Any(v => v != 0)) failures.Add($"{query} -> [{string.Join(", ", values)}], expected 0");
            else if (!values.Any(double.IsFinite)) failures.Add($"{query} -> [{string.Join(", ", values)}]");
        }
        Assert.True(failures.Count == 0, "panels without their idle value:\n" + string.Join("\n", failures));
    }

    [GeneratedRegex(@"\b(workflow_|node_|http_call|ssrf_)")]
    private static partial Regex OwnMetric();

    [GeneratedRegex(@"\b[a-z][a-z0-9_]*_(total|bucket|count|sum)\b")]
    private static partial Regex SeriesName();
}
