using Microsoft.Extensions.Diagnostics.HealthChecks;
using Thaiyyal.Storage;

namespace Thaiyyal.Server.Health;

/// <summary>
/// Degraded (not unhealthy) when the database cannot be reached or written: synchronous runs still work, only
/// saving and history do not, so the replica stays in its Service while the reason is reported.
/// </summary>
public sealed class StoreHealthCheck(IThaiyyalStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await store.CheckHealthAsync(cancellationToken);
        return health.Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded(health.Reason);
    }
}
