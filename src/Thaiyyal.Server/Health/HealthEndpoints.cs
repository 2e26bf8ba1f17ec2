using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Thaiyyal.Server.Health;

/// <summary>
/// <c>/health</c>, <c>/health/live</c> and <c>/health/ready</c> (server-api.md §5), any method, over ASP.NET Core
/// health checks. Body: <c>status</c>, <c>service_name</c>, <c>service_version</c>, <c>uptime</c> (Go duration),
/// <c>timestamp</c>, <c>checks</c>. A failing check tagged <see cref="CriticalTag"/> makes the whole report
/// unhealthy (503); on readiness every check counts as critical.
/// </summary>
public static class HealthEndpoints
{
    public const string ServiceName = "thaiyyal-workflow-engine";
    public const string CriticalTag = "critical";
    public const string ReadyTag = "ready";

    public static string ServiceVersion { get; } = typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").DisableRateLimiting();
        group.Map("", (HttpContext http, HealthCheckService checks, ServerState state) =>
            WriteReportAsync(http, checks, state, _ => true, everyCheckCritical: false))
            .WithName("Health").WithSummary("Runs every health check; 503 when a critical one fails.");
        group.Map("/ready", (HttpContext http, HealthCheckService checks, ServerState state) =>
            WriteReportAsync(http, checks, state, r => r.Tags.Contains(ReadyTag), everyCheckCritical: true))
            .WithName("Readiness").WithSummary("503 while starting, while shutting down and when saturated.");
        group.Map("/live", (HttpContext http, ServerState state) => WriteAsync(http, 200, "healthy", state, null))
            .WithName("Liveness").WithSummary("Always 200 while the process runs; no checks.");
        return app;
    }

    private static async Task WriteReportAsync(HttpContext http, HealthCheckService checks, ServerState state,
        Func<HealthCheckRegistration, bool> predicate, bool everyCheckCritical)
    {
        var report = await checks.CheckHealthAsync(predicate, http.RequestAborted);
        var critical = report.Entries.Any(e => e.Value.Status == HealthStatus.Unhealthy && (everyCheckCritical || e.Value.Tags.Contains(CriticalTag)));
        var degraded = report.Entries.Any(e => e.Value.Status == HealthStatus.Degraded);
        var status = critical ? "unhealthy" : degraded ? "degraded" : "healthy";
        await WriteAsync(http, critical ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK, status, state, report);
    }

    private static async Task WriteAsync(HttpContext http, int statusCode, string status, ServerState state, HealthReport? report)
    {
        var now = DateTimeOffset.Now;
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        await using (var json = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("status", status);
            json.WriteString("service_name", ServiceName);
            json.WriteString("service_version", ServiceVersion);
            json.WriteString("uptime", Engine.Compatibility.GoDuration.Format(state.Uptime));
            json.WriteString("timestamp", GoTime.Format(now));
            if (report is not null)
            {
                json.WriteStartObject("checks");
                foreach (var (name, entry) in report.Entries)
                {
                    json.WriteStartObject(name);
                    json.WriteString("status", entry.Status switch
                    {
                        HealthStatus.Healthy => "healthy",
                        HealthStatus.Degraded => "degraded",
                        _ => "unhealthy",
                    });
                    json.WriteString("last_checked", GoTime.Format(now));
                    if (entry.Status != HealthStatus.Healthy) json.WriteString("error", ErrorText(entry));
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        await http.Response.BodyWriter.WriteAsync("\n"u8.ToArray(), http.RequestAborted);
    }

    private static string ErrorText(HealthReportEntry entry) =>
        entry.Exception is OperationCanceledException or TimeoutException
            ? $"health check timed out after {Engine.Compatibility.GoDuration.Format(CheckTimeout)}"
            : entry.Description ?? entry.Exception?.Message ?? "unhealthy";

    /// <summary>Each check's time budget (the original's 5 s).</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);
}
