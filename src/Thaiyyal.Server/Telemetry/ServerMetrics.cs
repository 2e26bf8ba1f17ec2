using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Thaiyyal.Server.Telemetry;

/// <summary>Why the server refused a request before (or instead of) running it: the <c>reason</c> label of <c>http_requests_rejected_total</c>.</summary>
public static class RejectionReason
{
    public const string RateLimit = "rate_limit";
    public const string Unauthorized = "unauthorized";
    public const string AuthRateLimit = "auth_rate_limit";
    public const string RunQueueFull = "run_queue_full";
    public const string ClientRunLimit = "client_run_limit";
    public const string Draining = "draining";

    public static IReadOnlyList<string> All { get; } = [RateLimit, Unauthorized, AuthRateLimit, RunQueueFull, ClientRunLimit, Draining];
}

/// <summary>
/// The server's own instruments on the <see cref="MeterName"/> meter: rejections, run admission gauges, build info and
/// the process start time. Every labelled counter is written at 0 for its known label values when the server starts,
/// so the first scrape already has every series (ratios and alerts work from the start); histograms get their zero
/// series from <see cref="ZeroHistogramSeries"/>.
/// </summary>
public sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Thaiyyal.Server";

    /// <summary>How often one client's rejections of one reason are logged at most.</summary>
    public static readonly TimeSpan RejectionLogInterval = TimeSpan.FromSeconds(60);

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _rejected;
    private readonly ConcurrentDictionary<(string Client, string Reason), RejectionLogEntry> _lastLogged = new();
    private readonly ILogger _log;
    private readonly TimeProvider _time;

    private readonly IReadOnlyList<string> _nodeTypes;

    public ServerMetrics(RunCoordinator runs, ServerState state, TimeProvider time, ILoggerFactory loggers, Engine.WorkflowEngine engine)
    {
        _nodeTypes = [.. engine.Registry.Descriptors.Select(d => d.Type)];
        _time = time;
        _log = loggers.CreateLogger("Thaiyyal.Server");
        _rejected = _meter.CreateCounter<long>("http_requests_rejected", description: "Requests refused before running, by reason.");
        // workflow_runs_in_flight (sync and async runs together) is ExecutionMetrics's.
        _meter.CreateObservableGauge("workflow_runs_queued", () => runs.Queued, description: "Workflow runs waiting for a run slot.");
        _meter.CreateObservableGauge("workflow_run_slots", () => (long)runs.Capacity, description: "Run slots (max-concurrent-runs).");
        _meter.CreateObservableGauge("workflow_run_queue_capacity", () => (long)runs.QueueLength, description: "Places in the run queue (run-queue-length).");
        var started = state.StartedAt.ToUnixTimeMilliseconds() / 1000.0;
        _meter.CreateObservableGauge("process_start_time_seconds", () => started, description: "Start time of the process since the Unix epoch, in seconds.");
        var (version, commit) = BuildVersion();
        _meter.CreateObservableGauge("thaiyyal_build_info", () => new Measurement<long>(1,
            new KeyValuePair<string, object?>("version", version), new KeyValuePair<string, object?>("commit", commit)),
            description: "Always 1; the labels name the running build.");
    }

    /// <summary>Writes 0 for every known label value (call once the meter provider listens).</summary>
    public void InitializeSeries()
    {
        foreach (var reason in RejectionReason.All) _rejected.Add(0, new KeyValuePair<string, object?>("reason", reason));
        // Posted runs carry an empty workflow_id; the run counters exist at 0 for them, so ratios and alerts start at 0.
        var posted = new KeyValuePair<string, object?>(Engine.Execution.EngineMetrics.Tags.WorkflowId, "");
        Engine.Execution.EngineMetrics.WorkflowExecutions.Add(0, posted);
        Engine.Execution.EngineMetrics.WorkflowExecutionsSuccess.Add(0, posted);
        Engine.Execution.EngineMetrics.WorkflowExecutionsFailure.Add(0, posted);
        foreach (var type in _nodeTypes)
        {
            var nodeType = new KeyValuePair<string, object?>(Engine.Execution.EngineMetrics.Tags.NodeType, type);
            Engine.Execution.EngineMetrics.NodeExecutions.Add(0, nodeType);
            Engine.Execution.EngineMetrics.NodeExecutionsSuccess.Add(0, nodeType);
            Engine.Execution.EngineMetrics.NodeExecutionsFailure.Add(0, nodeType);
        }
        // No outbound call has known labels before it happens; one empty series keeps the call panels at 0.
        Engine.Execution.EngineMetrics.HttpCalls.Add(0, new KeyValuePair<string, object?>(Engine.Execution.EngineMetrics.Tags.HttpHost, ""),
            new KeyValuePair<string, object?>(Engine.Execution.EngineMetrics.Tags.HttpMethod, ""),
            new KeyValuePair<string, object?>(Engine.Execution.EngineMetrics.Tags.HttpStatusCode, ""));
        foreach (var limit in KnownLabelValues.Limits)
            Engine.Execution.EngineMetrics.WorkflowLimitExceeded.Add(0, new KeyValuePair<string, object?>(Engine.Execution.EngineMetrics.Tags.Limit, limit));
        foreach (var reason in KnownLabelValues.SsrfReasons)
            Engine.Execution.EngineMetrics.SsrfBlocked.Add(0, new KeyValuePair<string, object?>(Engine.Execution.EngineMetrics.Tags.Reason, reason));
    }

    /// <summary>Zero-count histogram series of the engine's durations for this server's node types (see <see cref="ZeroHistogramSeries"/>).</summary>
    public ZeroHistogramSeries ZeroHistograms() => ZeroHistogramSeries.ForEngine(_nodeTypes);

    /// <summary>
    /// Counts a refused request and logs it as WARN at most once per client and reason per <see cref="RejectionLogInterval"/>
    /// (with how many were not logged since), so a flood cannot flood the log.
    /// </summary>
    public void Rejected(HttpContext http, string reason, int statusCode)
    {
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        var client = ClientIdentity.Of(http);
        var now = _time.GetTimestamp();
        if (_lastLogged.Count > 10_000) _lastLogged.Clear(); // a bound against address floods; at worst a few extra lines
        var entry = _lastLogged.GetOrAdd((client, reason), _ => new RejectionLogEntry());
        long suppressed;
        lock (entry)
        {
            if (entry.LoggedAt != 0 && _time.GetElapsedTime(entry.LoggedAt, now) < RejectionLogInterval)
            {
                entry.Suppressed++;
                return;
            }
            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LoggedAt = now;
        }
        _log.Fields(LogLevel.Warning, "request rejected", ("reason", reason), ("status_code", statusCode),
            ("client", client), ("path", http.Request.Path.Value), ("suppressed_since_last", suppressed));
    }

    private static (string Version, string Commit) BuildVersion()
    {
        var informational = typeof(ServerMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (informational, "unknown") : (informational[..plus], informational[(plus + 1)..]);
    }

    public void Dispose() => _meter.Dispose();

    private sealed class RejectionLogEntry
    {
        public long LoggedAt;
        public long Suppressed;
    }
}
