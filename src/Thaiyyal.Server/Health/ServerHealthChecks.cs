using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Thaiyyal.Server.Health;

/// <summary>Runs a one-node workflow through the shared engine: decode, check and execute work.</summary>
public sealed class EngineHealthCheck(WorkflowEngine engine) : IHealthCheck
{
    private static readonly byte[] Probe = """{"nodes":[{"id":"probe","type":"number","data":{"value":1}}],"edges":[]}"""u8.ToArray();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await engine.ExecuteAsync(engine.Parse(Probe), cancellationToken: cancellationToken);
            return result.Success ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(result.Error!.Message);
        }
        catch (WorkflowException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}

/// <summary>Unhealthy until the server has started and again once graceful shutdown begins.</summary>
public sealed class ShutdownHealthCheck(ServerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Phase switch
        {
            ServerPhase.Ready => HealthCheckResult.Healthy(),
            ServerPhase.Starting => HealthCheckResult.Unhealthy("server is starting"),
            _ => HealthCheckResult.Unhealthy("server is shutting down"),
        });
}

/// <summary>Degraded when every run slot is busy (and says so when the queue is full too); never fails readiness.</summary>
public sealed class CapacityHealthCheck(RunCoordinator runs) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var running = runs.Running;
        var queued = runs.Queued;
        if (running < runs.Capacity) return Task.FromResult(HealthCheckResult.Healthy());
        return Task.FromResult(queued >= runs.QueueLength
            ? HealthCheckResult.Degraded($"all {runs.Capacity} run slots are busy and the queue is full ({queued} waiting)")
            : HealthCheckResult.Degraded($"all {runs.Capacity} run slots are busy"));
    }
}
