using System.Diagnostics;
using Thaiyyal.Server.Endpoints;

namespace Thaiyyal.Server.Hosting;

/// <summary>The cross-cutting middleware of server-api.md §1.2–1.4, outermost first.</summary>
public static class RequestPipeline
{
    /// <summary>
    /// Unhandled exceptions: one ERROR record <c>panic recovered</c> (<c>error</c>, <c>path</c>) and a 500 — the JSON
    /// error body under <c>/api</c>, plain text elsewhere. A client that went away is not an error.
    /// </summary>
    public static IApplicationBuilder UsePanicRecovery(this IApplicationBuilder app, ILogger logger) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            logger.Fields(LogLevel.Error, "panic recovered", ("error", ex.Message), ("path", http.Request.Path.Value), ("exception_type", ex.GetType().FullName));
            if (http.Response.HasStarted) throw;
            http.Response.Clear();
            if (http.Request.Path.StartsWithSegments("/api"))
            {
                await ApiResults.WriteErrorAsync(http, StatusCodes.Status500InternalServerError, "Internal server error");
                return;
            }
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("Internal server error\n");
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client disconnected (a cancellation, or a reset while the body was read or the answer written):
            // nobody is left to answer, and it is not a server error. Recorded like an abandoned run, as 499; left to
            // Kestrel, the request would be counted as a 500 that no client ever received.
            if (!http.Response.HasStarted) http.Response.StatusCode = Execution.WorkflowRunner.ClientClosedRequest;
        }
    });

    /// <summary>
    /// One <c>http request</c> record per request (<c>method</c>, <c>path</c>, <c>status_code</c>, <c>duration_ms</c>,
    /// <c>remote_addr</c>): INFO for the API and the editor, DEBUG for probes and scrapes. Never the body or query.
    /// </summary>
    public static IApplicationBuilder UseAccessLog(this IApplicationBuilder app, ILogger logger) => app.Use(async (http, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        http.Response.Headers["X-Request-Id"] = http.TraceIdentifier;
        try
        {
            await next(http);
        }
        finally
        {
            var path = http.Request.Path;
            var level = path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") ? LogLevel.Debug : LogLevel.Information;
            if (logger.IsEnabled(level))
            {
                var remote = http.Connection.RemoteIpAddress is { } ip ? $"{ip}:{http.Connection.RemotePort}" : "";
                logger.Fields(level, "http request",
                    ("method", http.Request.Method), ("path", path.Value), ("status_code", http.Response.StatusCode),
                    ("duration_ms", (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds), ("remote_addr", remote));
            }
        }
    });

    /// <summary>
    /// While draining, every response carries <c>Connection: close</c>, so keep-alive clients open a new connection
    /// (to another replica) instead of writing into a connection the server is about to close.
    /// </summary>
    public static IApplicationBuilder UseConnectionCloseWhileDraining(this IApplicationBuilder app, ServerState state) => app.Use((http, next) =>
    {
        if (state.Phase == ServerPhase.Draining) http.Response.Headers.Connection = "close";
        else http.Response.OnStarting(() =>
        {
            if (state.Phase == ServerPhase.Draining) http.Response.Headers.Connection = "close";
            return Task.CompletedTask;
        });
        return next(http);
    });

    /// <summary>Headers every response carries; the editor's HTML adds its CSP (see <see cref="Web.EditorFiles"/>).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.XFrameOptions = "DENY";
        return next(http);
    });

    /// <summary>The admin listener serves only <c>/debug/*</c>; the public listener never does.</summary>
    public static IApplicationBuilder UseAdminListenerSeparation(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var debugPath = http.Request.Path.StartsWithSegments("/debug");
        if (ServerListeners.IsAdminConnection(http) == debugPath)
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync("404 page not found\n");
    });

    /// <summary>
    /// API answers are JSON: an unknown <c>/api</c> path is a 404 error body, a known path with the wrong method a
    /// 405 error body with <c>Allow</c>. Runs after routing, before the endpoint.
    /// </summary>
    public static IApplicationBuilder UseApiStatusBodies(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }
        if (http.GetEndpoint() is null)
        {
            await ApiResults.WriteErrorAsync(http, StatusCodes.Status404NotFound, "Not found", $"no API route {http.Request.Path.Value}");
            return;
        }
        await next(http);
        if (http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !http.Response.HasStarted)
        {
            var allow = http.Response.Headers.Allow.ToString();
            await ApiResults.WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, "Method not allowed",
                allow.Length > 0 ? $"{http.Request.Method} is not allowed here; use {allow}" : null);
        }
    });
}
