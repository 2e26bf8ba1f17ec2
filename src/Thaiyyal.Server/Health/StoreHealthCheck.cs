using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Thaiyyal.Server.Health;

/// <summary>
/// Degraded (not unhealthy) when the database cannot be reached or written: synchronous runs still work, only
/// saving and history do not, so the replica stays in its Service while the reason is reported.
/// </summary>
public sealed class StoreHealthCheck(IThaiyyalStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await ProbeAsync(store, cancellationToken);
        return health.Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded(health.Reason);
    }

    /// <summary>
    /// The store's probe, given up when <paramref name="cancellationToken"/> (the check's time budget) ends. A database
    /// that accepts connections but never answers (a frozen PostgreSQL) kept the client library waiting past it, so
    /// <c>/health</c> did not answer for over a minute; the probe is left to finish or fail on its own.
    /// </summary>
    public static Task<StoreHealth> ProbeAsync(IThaiyyalStore store, CancellationToken cancellationToken) =>
        store.CheckHealthAsync(cancellationToken).WaitAsync(cancellationToken);
}

/// <summary>
/// Readiness of an API-only replica (<c>-role api</c>): everything it serves beyond synchronous runs (stored workflows,
/// queued runs, history, events) lives in the database, so while the database cannot be reached it is not ready and
/// leaves its Service. Replicas that also run workers stay ready and report the store degraded.
/// </summary>
public sealed class ApiRoleStoreReadinessCheck(IThaiyyalStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await StoreHealthCheck.ProbeAsync(store, cancellationToken);
        return health.Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(health.Reason);
    }
}
