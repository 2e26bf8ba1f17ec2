using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Telemetry;

/// <summary>
/// The exposition's family names are exactly those the operations guide's PromQL uses. The meter is process-wide,
/// so these tests compare counts before and after their own runs (tests in this class run one at a time).
/// </summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task The_guide_metric_names_are_exposed_exactly()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Addition);
        await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.DivideByZero);
        var text = await server.Client.GetStringAsync("/metrics");
        foreach (var family in new[]
                 {
                     "workflow_executions_total", "workflow_executions_success_total", "workflow_executions_failure_total",
                     "workflow_execution_duration_bucket", "workflow_execution_duration_sum", "workflow_execution_duration_count",
                     "node_executions_total", "node_executions_success_total", "node_executions_failure_total",
                     "node_execution_duration_bucket", "http_server_request_duration_seconds_bucket",
                     "dotnet_process_memory_working_set_bytes", "dotnet_process_cpu_time_seconds_total", "dotnet_gc_collections_total",
                 })
        {
            Assert.Matches(new Regex($"(?m)^{family}[{{ ]"), text);
        }
        Assert.DoesNotMatch(new Regex("(?m)^workflow_execution_duration_(milliseconds|seconds)"), text);
        Assert.DoesNotMatch(new Regex("(?m)^workflow_executions_total_total"), text);
        Assert.Contains("le=\"0.001\"", text, StringComparison.Ordinal);
        Assert.Contains("le=\"300\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scraper_that_accepts_gzip_gets_the_exposition_compressed_and_others_get_plain_text()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Addition);
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = server.Client.BaseAddress };

        using var zipped = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        zipped.Headers.AcceptEncoding.ParseAdd("gzip");
        using var gzipAnswer = await client.SendAsync(zipped);
        Assert.Equal(["gzip"], gzipAnswer.Content.Headers.ContentEncoding);
        var compressed = await gzipAnswer.Content.ReadAsByteArrayAsync();
        using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        var text = await new StreamReader(unzip).ReadToEndAsync();
        Assert.Contains("workflow_executions_total", text, StringComparison.Ordinal);
        // Completed before compression: the zero series of histograms nothing has recorded into yet are there.
        Assert.Contains("workflow_queue_wait_seconds_bucket", text, StringComparison.Ordinal);
        Assert.True(compressed.Length * 3 < text.Length, $"{compressed.Length} bytes compressed for {text.Length} of text");

        using var plain = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        plain.Headers.AcceptEncoding.ParseAdd("gzip;q=0");
        using var plainAnswer = await client.SendAsync(plain);
        Assert.Empty(plainAnswer.Content.Headers.ContentEncoding);
        Assert.Contains("workflow_executions_total", await plainAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_run_is_counted_once_with_bounded_labels()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0", "-read-rate-limit", "0");
        var before = await ScrapeAsync(server);
        await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Addition);   // payload workflow_id "add": not a label
        await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.DivideByZero);
        var (_, saved) = await server.PostJsonForBodyAsync("/api/v1/workflow/save",
            new JsonObject { ["name"] = "stored", ["data"] = JsonNode.Parse(Payloads.Addition) }.ToJsonString());
        var id = saved!["id"]!.GetValue<string>();
        await server.PostJsonAsync($"/api/v1/workflow/execute/{id}", "");
        var after = await ScrapeAsync(server);

        Assert.Equal(2, Delta(before, after, "workflow_executions_total", "workflow_id=\"\""));
        Assert.Equal(1, Delta(before, after, "workflow_executions_total", $"workflow_id=\"{id}\""));
        Assert.Equal(0, Delta(before, after, "workflow_executions_total", "workflow_id=\"add\""));
        Assert.Equal(1, Delta(before, after, "workflow_executions_failure_total", "workflow_id=\"\""));
        Assert.Equal(1, Delta(before, after, "workflow_executions_success_total", "workflow_id=\"\""));
        Assert.Equal(1, Delta(before, after, "workflow_execution_duration_count", "status=\"failure\""));
        Assert.Equal(1, Delta(before, after, "node_executions_failure_total", "node_type=\"operation\""));
        Assert.Equal(2, Delta(before, after, "node_executions_success_total", "node_type=\"operation\""));
        Assert.Equal(3, Delta(before, after, "node_executions_total", "node_type=\"operation\""));
        Assert.DoesNotContain("node_id=", after, StringComparison.Ordinal);
        Assert.DoesNotContain("nodes_executed=", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_are_counted_by_kind()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0", "-max-node-executions", "2");
        var before = await ScrapeAsync(server);
        using var response = await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Numbers(4));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var after = await ScrapeAsync(server);
        Assert.Equal(1, Delta(before, after, "workflow_limit_exceeded_total", "limit=\"node_executions\""));
        Assert.Equal(1, Delta(before, after, "workflow_execution_duration_count", "status=\"limit\""));
    }

    [Fact]
    public async Task A_timed_out_run_is_counted_as_an_execution_time_limit()
    {
        await using var server = await RunningServer.StartAsync(RunningServer.Settings("-rate-limit", "0", "-max-execution-time", "100ms"),
            engine => engine.Registry.Register(new SleepNode()));
        var before = await ScrapeAsync(server);
        using var response = await server.PostJsonAsync("/api/v1/workflow/execute", Payloads.Sleep(10_000));
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var after = await ScrapeAsync(server);
        Assert.Equal(1, Delta(before, after, "workflow_limit_exceeded_total", "limit=\"execution_time\""));
        Assert.Equal(1, Delta(before, after, "workflow_execution_duration_count", "status=\"timeout\""));
    }

    private static async Task<string> ScrapeAsync(RunningServer server) => await server.Client.GetStringAsync("/metrics");

    /// <summary>Sum of a family's samples whose labels contain <paramref name="label"/>, after minus before.</summary>
    private static double Delta(string before, string after, string family, string label) => Sum(after, family, label) - Sum(before, family, label);

    private static double Sum(string exposition, string family, string label) =>
        exposition.Split('\n')
            .Where(l => l.StartsWith(family + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
