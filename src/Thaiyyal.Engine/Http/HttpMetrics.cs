using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Thaiyyal.Engine.Http;

/// <summary>
/// Outbound HTTP instruments on the <c>Thaiyyal</c> meter (operations.md §5.2 Notes). The duration
/// histogram carries no unit so the exporter names it <c>http_call_duration_bucket</c>, the name the
/// operations guide's PromQL uses; its values are seconds.
/// </summary>
internal static class HttpMetrics
{
    public const string MeterName = "Thaiyyal";

    /// <summary>Distinct <c>http_host</c> values recorded before further hosts are labelled <c>other</c>.</summary>
    public const int MaxHostLabels = 200;

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        "http_calls_total", description: "Outbound HTTP requests made by http nodes (each redirect hop and retry counts).");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "http_call_duration", unit: null, description: "Outbound HTTP request duration in seconds, until the response headers arrive.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    private static readonly Counter<long> Blocked = Meter.CreateCounter<long>(
        "ssrf_blocked_total", description: "Outbound requests refused by the SSRF policy, by reason.");

    // Host names come from workflows: an unbounded label set would let any user grow the metrics endpoint.
    private static readonly ConcurrentDictionary<string, byte> SeenHosts = new(StringComparer.Ordinal);

    public static void RecordCall(string method, int? statusCode, string host, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "http_method", method },
            { "http_status_code", statusCode?.ToString(CultureInfo.InvariantCulture) ?? "error" },
            { "http_host", HostLabel(host) },
        };
        Calls.Add(1, tags);
        Duration.Record(elapsed.TotalSeconds, tags);
    }

    public static void RecordBlocked(string reason) => Blocked.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private static string HostLabel(string host)
    {
        if (SeenHosts.ContainsKey(host)) return host;
        if (SeenHosts.Count >= MaxHostLabels) return "other";
        SeenHosts.TryAdd(host, 0);
        return host;
    }
}
