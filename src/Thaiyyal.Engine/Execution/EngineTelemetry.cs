using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Thaiyyal.Engine.Execution;

/// <summary>
/// The engine's metric instruments, on the process-wide <see cref="Meter"/> named <see cref="MeterName"/>.
/// Hosts export them (the server with OpenTelemetry's Prometheus exporter); nothing is recorded unless a
/// listener is attached. Instrument names carry no unit and counters no <c>_total</c>: the Prometheus
/// exporter appends <c>_total</c> to counters (and keeps a name that has it), so the exposed families are exactly the operations guide's
/// (<c>workflow_executions_total</c>, <c>workflow_execution_duration_bucket</c>, <c>http_call_duration_bucket</c> …).
/// Durations are in seconds.
/// </summary>
public static class EngineMetrics
{
    /// <summary>Name of the engine's <see cref="Meter"/>.</summary>
    public const string MeterName = "Thaiyyal";

    /// <summary>Label names used by the instruments below.</summary>
    public static class Tags
    {
        public const string WorkflowId = "workflow_id";
        public const string Status = "status";
        public const string NodeType = "node_type";
        public const string Limit = "limit";
        public const string HttpMethod = "http_method";
        public const string HttpStatusCode = "http_status_code";
        public const string HttpHost = "http_host";
        public const string Reason = "reason";
    }

    /// <summary>Values of the <c>status</c> label on the run-duration histogram.</summary>
    public static class RunStatus
    {
        public const string Success = "success";
        public const string Failure = "failure";
        public const string Timeout = "timeout";
        public const string Limit = "limit";
        public const string Cancelled = "cancelled";
    }

    /// <summary>Bucket bounds in seconds: 1 ms … 5 min.</summary>
    public static IReadOnlyList<double> DurationBuckets { get; } =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly InstrumentAdvice<double> DurationAdvice = new() { HistogramBucketBoundaries = DurationBuckets };

    /// <summary>The engine's meter.</summary>
    internal static Meter Meter { get; } = new(MeterName, typeof(EngineMetrics).Assembly.GetName().Version?.ToString(3));

    /// <summary><c>workflow_executions_total{workflow_id}</c>: every finished run, once.</summary>
    internal static Counter<long> WorkflowExecutions { get; } = Meter.CreateCounter<long>("workflow_executions", description: "Workflow runs finished.");

    /// <summary><c>workflow_executions_success_total{workflow_id}</c>.</summary>
    internal static Counter<long> WorkflowExecutionsSuccess { get; } = Meter.CreateCounter<long>("workflow_executions_success", description: "Workflow runs that succeeded.");

    /// <summary><c>workflow_executions_failure_total{workflow_id}</c>: failed, timed out, over a limit or cancelled.</summary>
    internal static Counter<long> WorkflowExecutionsFailure { get; } = Meter.CreateCounter<long>("workflow_executions_failure", description: "Workflow runs that failed.");

    /// <summary><c>workflow_execution_duration{workflow_id,status}</c> in seconds.</summary>
    internal static Histogram<double> WorkflowExecutionDuration { get; } = Meter.CreateHistogram("workflow_execution_duration", unit: null,
        description: "Workflow run duration in seconds.", tags: null, advice: DurationAdvice);

    /// <summary><c>workflow_limit_exceeded_total{limit}</c>: runs stopped by a limit (<c>node_executions</c>, <c>http_calls</c>, <c>execution_time</c>, <c>iterations</c>, …).</summary>
    internal static Counter<long> WorkflowLimitExceeded { get; } = Meter.CreateCounter<long>("workflow_limit_exceeded", description: "Workflow runs stopped by a limit.");

    /// <summary><c>node_executions_total{node_type}</c>: every node execution that finished (success or failure).</summary>
    internal static Counter<long> NodeExecutions { get; } = Meter.CreateCounter<long>("node_executions", description: "Node executions finished.");

    /// <summary><c>node_executions_success_total{node_type}</c>.</summary>
    internal static Counter<long> NodeExecutionsSuccess { get; } = Meter.CreateCounter<long>("node_executions_success", description: "Node executions that succeeded.");

    /// <summary><c>node_executions_failure_total{node_type}</c>.</summary>
    internal static Counter<long> NodeExecutionsFailure { get; } = Meter.CreateCounter<long>("node_executions_failure", description: "Node executions that failed.");

    /// <summary><c>node_execution_duration{node_type}</c> in seconds.</summary>
    internal static Histogram<double> NodeExecutionDuration { get; } = Meter.CreateHistogram("node_execution_duration", unit: null,
        description: "Node execution duration in seconds.", tags: null, advice: DurationAdvice);

    /// <summary><c>http_calls_total{http_method,http_status_code,http_host}</c>: outbound requests of HTTP nodes (each redirect hop and retry).</summary>
    internal static Counter<long> HttpCalls { get; } = Meter.CreateCounter<long>("http_calls_total",
        description: "Outbound HTTP requests made by http nodes (each redirect hop and retry counts).");

    /// <summary><c>http_call_duration{http_method,http_status_code,http_host}</c> in seconds, until the response headers arrive.</summary>
    internal static Histogram<double> HttpCallDuration { get; } = Meter.CreateHistogram("http_call_duration", unit: null,
        description: "Outbound HTTP request duration in seconds.", tags: null, advice: DurationAdvice);

    /// <summary><c>ssrf_blocked_total{reason}</c>: outbound requests refused by the SSRF policy.</summary>
    internal static Counter<long> SsrfBlocked { get; } = Meter.CreateCounter<long>("ssrf_blocked_total",
        description: "Outbound requests refused by the SSRF policy, by reason.");

    /// <summary>Distinct <c>http_host</c> values recorded before further hosts are labelled <c>other</c>.</summary>
    public const int MaxHostLabels = 200;

    // Host names come from workflows: an unbounded label set would let any user grow the metrics endpoint.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> SeenHosts = new(StringComparer.Ordinal);

    /// <summary>
    /// Records one outbound call. A null <paramref name="statusCode"/> (no response: network error, timeout) is
    /// labelled <c>error</c>; <paramref name="host"/> is the host only, never the URL (bounded labels, no secrets).
    /// </summary>
    internal static void RecordHttpCall(string method, int? statusCode, string host, TimeSpan duration)
    {
        var tags = new TagList
        {
            { Tags.HttpMethod, method },
            { Tags.HttpStatusCode, statusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "error" },
            { Tags.HttpHost, HostLabel(host) },
        };
        HttpCalls.Add(1, tags);
        HttpCallDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Records one blocked request with its machine-readable reason (<c>localhost</c>, <c>private</c>, <c>dns</c> …).</summary>
    internal static void RecordSsrfBlocked(string reason) => SsrfBlocked.Add(1, new KeyValuePair<string, object?>(Tags.Reason, reason));

    private static string HostLabel(string host)
    {
        if (SeenHosts.ContainsKey(host)) return host;
        if (SeenHosts.Count >= MaxHostLabels) return "other";
        SeenHosts.TryAdd(host, 0);
        return host;
    }
}

/// <summary>
/// The engine's <see cref="System.Diagnostics.ActivitySource"/> (<see cref="SourceName"/>): a <c>workflow.execute</c>
/// span per run and a <c>node.execute</c> span per node execution, started by the host's observer (the server's
/// <c>RunTelemetryObserver</c>) so they nest under the caller's current activity.
/// </summary>
public static class EngineTracing
{
    public const string SourceName = "Thaiyyal.Engine";

    public const string RunSpan = "workflow.execute";

    public const string NodeSpan = "node.execute";

    internal static ActivitySource Source { get; } = new(SourceName, typeof(EngineTracing).Assembly.GetName().Version?.ToString(3));
}
