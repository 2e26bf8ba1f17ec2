using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Thaiyyal.Server.Telemetry;

/// <summary>
/// Completes the <c>/metrics</c> exposition with zero-count series of the engine's histograms for their known label
/// values. .NET's metrics API cannot create a histogram series without an observation (a counter can be added 0,
/// a histogram cannot be recorded "nothing"), so the exporter shows a histogram only after its first run; until then
/// this adds the series a first observation would add, all buckets, sum and count at 0. A label set that has real
/// observations is left as the exporter wrote it. Both exposition formats (Prometheus text, OpenMetrics) are handled.
/// </summary>
public sealed class ZeroHistogramSeries
{
    /// <summary>One histogram family and the label sets (<c>name="value"</c> parts) it must always have.</summary>
    public sealed record Family(string Name, string Help, IReadOnlyList<IReadOnlyList<string>> LabelSets);

    private readonly IReadOnlyList<Family> _families;
    private readonly string _scopeLabels;
    private readonly IReadOnlyList<string> _bounds;

    public ZeroHistogramSeries(IReadOnlyList<Family> families, string scopeLabels, IReadOnlyList<double> bounds)
    {
        _families = families;
        _scopeLabels = scopeLabels;
        _bounds = [.. bounds.Select(b => b.ToString(CultureInfo.InvariantCulture)), "+Inf"];
    }

    /// <summary>The engine's run, node and outbound-call duration histograms with their known label values.</summary>
    public static ZeroHistogramSeries ForEngine(IEnumerable<string> nodeTypes)
    {
        static string Label(string name, string value) => $"{name}=\"{value}\"";
        var families = new List<Family>
        {
            new("workflow_execution_duration", "Workflow run duration in seconds.",
                [.. KnownLabelValues.RunStatuses.Select(s => (IReadOnlyList<string>)[Label(EngineMetrics.Tags.Status, s), Label(EngineMetrics.Tags.WorkflowId, "")])]),
            new("node_execution_duration", "Node execution duration in seconds.",
                [.. nodeTypes.Select(t => (IReadOnlyList<string>)[Label(EngineMetrics.Tags.NodeType, t)])]),
            // No outbound call has known labels before it happens; one empty series keeps the call panels at 0.
            new("http_call_duration", "Outbound HTTP request duration in seconds.",
                [[Label(EngineMetrics.Tags.HttpHost, ""), Label(EngineMetrics.Tags.HttpMethod, ""), Label(EngineMetrics.Tags.HttpStatusCode, "")]]),
            // Asynchronous runs' wait in the queue: one series without labels.
            new("workflow_queue_wait_seconds", "Seconds an asynchronous run waited in the queue before a worker claimed it.", [Array.Empty<string>()]),
        };
        var version = EngineMetrics.Meter.Version;
        var scope = version is null ? $"otel_scope_name=\"{EngineMetrics.MeterName}\"" : $"otel_scope_name=\"{EngineMetrics.MeterName}\",otel_scope_version=\"{version}\"";
        return new ZeroHistogramSeries(families, scope, EngineMetrics.DurationBuckets);
    }

    /// <summary>The exposition with every missing series added.</summary>
    public string Complete(string exposition)
    {
        var lines = exposition.Split('\n').ToList();
        foreach (var family in _families)
        {
            var counts = lines.Where(l => l.StartsWith(family.Name + "_count{", StringComparison.Ordinal)).ToList();
            var missing = family.LabelSets.Where(set => !counts.Any(l => set.All(part => HasLabel(l, part)))).ToList();
            if (missing.Count == 0) continue;
            var series = missing.SelectMany(set => Series(family.Name, set)).ToList();
            var type = lines.IndexOf($"# TYPE {family.Name} histogram");
            if (type >= 0)
            {
                var end = type + 1;
                while (end < lines.Count && (lines[end].StartsWith(family.Name + "_", StringComparison.Ordinal)
                                             || lines[end].StartsWith($"# HELP {family.Name} ", StringComparison.Ordinal)
                                             || lines[end].StartsWith($"# UNIT {family.Name} ", StringComparison.Ordinal))) end++;
                lines.InsertRange(end, series);
            }
            else
            {
                // A new family goes before OpenMetrics' "# EOF", else after the last line.
                var at = lines.IndexOf("# EOF");
                if (at < 0) at = lines.Count > 0 && lines[^1].Length == 0 ? lines.Count - 1 : lines.Count;
                lines.InsertRange(at, [$"# TYPE {family.Name} histogram", $"# HELP {family.Name} {family.Help}", .. series]);
            }
        }
        return string.Join('\n', lines);
    }

    private static bool HasLabel(string line, string part) =>
        line.Contains("{" + part + ",", StringComparison.Ordinal) || line.Contains("," + part + ",", StringComparison.Ordinal)
        || line.Contains("," + part + "}", StringComparison.Ordinal) || line.Contains("{" + part + "}", StringComparison.Ordinal);

    private IEnumerable<string> Series(string name, IReadOnlyList<string> labels)
    {
        var set = new StringBuilder(_scopeLabels);
        foreach (var label in labels) set.Append(',').Append(label);
        foreach (var bound in _bounds) yield return $"{name}_bucket{{{set},le=\"{bound}\"}} 0";
        yield return $"{name}_sum{{{set}}} 0";
        yield return $"{name}_count{{{set}}} 0";
    }
}

/// <summary>Runs the scrape endpoint into a buffer and completes its exposition with <see cref="ZeroHistogramSeries"/>.</summary>
public static class ZeroHistogramSeriesMiddleware
{
    public static IApplicationBuilder UseZeroHistogramSeries(this IApplicationBuilder app, ZeroHistogramSeries series) =>
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.Equals("/metrics", StringComparison.Ordinal) || !HttpMethods.IsGet(http.Request.Method))
            {
                await next(http);
                return;
            }
            // The exporter gzips when asked; the exposition is completed as text, so it is asked for plain text and
            // compressed here when the scraper accepts gzip (Prometheus does).
            var gzip = AcceptsGzip(http.Request.Headers.AcceptEncoding);
            http.Request.Headers.AcceptEncoding = Microsoft.Extensions.Primitives.StringValues.Empty;
            var original = http.Response.Body;
            using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try
            {
                await next(http);
            }
            finally
            {
                http.Response.Body = original;
            }
            var body = buffer.ToArray();
            var contentType = http.Response.ContentType ?? "";
            if (http.Response.StatusCode == StatusCodes.Status200OK
                && (contentType.StartsWith("text/plain", StringComparison.Ordinal) || contentType.StartsWith("application/openmetrics-text", StringComparison.Ordinal)))
            {
                body = Encoding.UTF8.GetBytes(series.Complete(Encoding.UTF8.GetString(body)));
            }
            http.Response.Headers.Vary = "Accept-Encoding";
            if (gzip && http.Response.StatusCode == StatusCodes.Status200OK && body.Length > 0)
            {
                using var compressed = new MemoryStream();
                using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(body);
                body = compressed.ToArray();
                http.Response.Headers.ContentEncoding = "gzip";
            }
            http.Response.ContentLength = body.Length;
            await original.WriteAsync(body, http.RequestAborted);
        });

    /// <summary>True when the <c>Accept-Encoding</c> header lists gzip (or <c>*</c>) with a quality above zero.</summary>
    private static bool AcceptsGzip(Microsoft.Extensions.Primitives.StringValues acceptEncoding) =>
        StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var codings)
        && codings.Any(c => (c.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || c.Value.Equals("*", StringComparison.Ordinal)) && (c.Quality ?? 1) > 0);
}
