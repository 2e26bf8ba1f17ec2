namespace Thaiyyal.Server.Telemetry;

/// <summary>
/// The label values each labelled engine instrument can take that are known before anything happens: the server writes
/// every such series at 0 on start, so a fresh server's first scrape has them and rates, ratios and alerts read 0.
/// </summary>
public static class KnownLabelValues
{
    /// <summary>The <c>status</c> values of <c>workflow_execution_duration</c>.</summary>
    public static IReadOnlyList<string> RunStatuses { get; } =
    [
        EngineMetrics.RunStatus.Success, EngineMetrics.RunStatus.Failure, EngineMetrics.RunStatus.Timeout,
        EngineMetrics.RunStatus.Limit, EngineMetrics.RunStatus.Cancelled,
    ];

    /// <summary>The <c>limit</c> values of <c>workflow_limit_exceeded_total</c> (the engine's limit names; a timeout is <c>execution_time</c>, loops <c>iterations</c>).</summary>
    public static IReadOnlyList<string> Limits { get; } =
    [
        "node_executions", "http_calls", "execution_time", "iterations", "result_bytes", "array_length", "string_length",
        "depth", "variables", "yaml_size",
    ];

    /// <summary>The <c>reason</c> values of <c>ssrf_blocked_total</c>.</summary>
    public static IReadOnlyList<string> SsrfReasons { get; } =
    [
        Engine.Http.SsrfReasons.Localhost, Engine.Http.SsrfReasons.Private, Engine.Http.SsrfReasons.LinkLocal,
        Engine.Http.SsrfReasons.CloudMetadata, Engine.Http.SsrfReasons.Reserved, Engine.Http.SsrfReasons.DomainNotAllowed,
        Engine.Http.SsrfReasons.NetworkDenied, Engine.Http.SsrfReasons.Scheme, Engine.Http.SsrfReasons.Port,
        Engine.Http.SsrfReasons.Dns, Engine.Http.SsrfReasons.InvalidUrl,
    ];
}
