using Microsoft.Extensions.Options;

namespace Thaiyyal.Server.Hosting;

/// <summary>
/// Start-up and graceful shutdown (operations.md §3–4 with their Notes). On start: readiness turns 200 and the
/// listen URLs are logged. On SIGTERM/SIGINT: readiness turns 503 and for the drain delay the server answers every
/// request with <c>Connection: close</c> (new runs get 503 at once) while load balancers stop routing; then the listener closes and in-flight requests get the shutdown
/// timeout; <see cref="ResponseMargin"/> before its end the remaining runs are cancelled so their responses can still be written.
/// The host's own shutdown timeout is drain delay + shutdown timeout (set in <see cref="ServiceDefaults"/>).
/// </summary>
public sealed class ServerLifecycle(
    ServerSettings settings,
    ServerState state,
    RunCoordinator runs,
    ServerListeners listeners,
    Telemetry.ServerMetrics metrics,
    TimeProvider time,
    ILogger<ServerLifecycle> logger) : IHostedLifecycleService, IDisposable
{
    private ITimer? _cancelRuns;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var endpoints = listeners.PublicEndpoints;
        var url = endpoints.Count > 0 ? ServerListeners.BrowseUrl(endpoints[0]) : "";
        logger.Fields(LogLevel.Information, "starting server",
            ("address", string.Join(",", endpoints.Select(e => e.ToString()))),
            ("url", url),
            ("health_url", url + "/health"),
            ("metrics_url", url + "/metrics"),
            ("execute_url", url + "/api/v1/workflow/execute"),
            ("api_reference_url", url + "/scalar"),
            ("admin_address", listeners.AdminEndpoints.Count > 0 ? string.Join(",", listeners.AdminEndpoints.Select(e => e.ToString())) : null),
            ("stop_hint", "press Ctrl+C or send SIGTERM to stop"));
        metrics.InitializeSeries();
        state.MarkReady();
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.MarkDraining();
        var cancelAfter = settings.DrainDelay + settings.ShutdownTimeout - ResponseMargin(settings.ShutdownTimeout);
        logger.Fields(LogLevel.Information, "shutting down server",
            ("drain_delay", settings.DrainDelay), ("shutdown_timeout", settings.ShutdownTimeout),
            ("runs_in_flight", runs.Running), ("runs_cancelled_after", cancelAfter));
        _cancelRuns = time.CreateTimer(_ =>
        {
            if (runs.Running > 0)
                logger.Fields(LogLevel.Warning, "cancelling in-flight workflow runs", ("runs_in_flight", runs.Running));
            runs.CancelRuns();
        }, null, cancelAfter, Timeout.InfiniteTimeSpan);
        try
        {
            await Task.Delay(settings.DrainDelay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown deadline passed during the drain; continue stopping.
        }
    }

    /// <summary>
    /// Time left between cancelling the remaining runs and the host's deadline, for their 503 bodies to be written:
    /// 20 % of the shutdown timeout, at least one second (all of it when the timeout is shorter), so a loaded machine
    /// still gets the answers out.
    /// </summary>
    public static TimeSpan ResponseMargin(TimeSpan shutdownTimeout) =>
        TimeSpan.FromTicks(Math.Max((shutdownTimeout * 0.2).Ticks, Math.Min(shutdownTimeout.Ticks, TimeSpan.FromSeconds(1).Ticks)));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        logger.Fields(LogLevel.Information, "server shutdown complete", ("runs_in_flight", runs.Running));
        return Task.CompletedTask;
    }

    public void Dispose() => _cancelRuns?.Dispose();
}

/// <summary>Sets the host's shutdown timeout to cover the drain delay and the request grace period.</summary>
internal sealed class HostShutdownOptions(ServerSettings settings) : IConfigureOptions<HostOptions>
{
    public void Configure(HostOptions options) => options.ShutdownTimeout = settings.DrainDelay + settings.ShutdownTimeout;
}
