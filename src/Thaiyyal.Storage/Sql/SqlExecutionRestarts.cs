using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Thaiyyal.Storage.Sql;

/// <summary>Runs that lost their replica: interrupted, or put back on the queue to start over (<c>"on_interrupt": "restart"</c>).</summary>
internal sealed partial class SqlExecutionRepository
{
    public Task<LeaseExpiry> ExpireLeasesAsync(string reason, Func<string?, bool> restartable, int maxRestarts, CancellationToken cancellationToken)
    {
        var errorJson = JsonSerializer.Serialize(new { success = false, error = reason });
        var now = Micros.From(time.GetUtcNow());
        return store.InTransactionAsync("execution.expire_leases", async (connection, transaction) =>
        {
            // Locked for this transaction (PostgreSQL); rows another replica is expiring at the same moment are skipped.
            var expired = (await connection.QueryAsync<ExpiredRow>(new CommandDefinition(
                "SELECT id, payload_json, restarts, cancel_requested_at FROM executions " +
                $"WHERE status = 'running' AND lease_expires_at < @now {store.Dialect.SkipLockedRows}",
                new { now }, transaction, cancellationToken: cancellationToken))).ToList();
            var requeued = expired
                .Where(e => e.CancelRequestedAt is null && e.Restarts < maxRestarts && restartable(e.PayloadJson))
                .Select(e => e.Id).ToList();
            var interrupted = expired.Select(e => e.Id).Except(requeued, StringComparer.Ordinal).ToList();
            foreach (var id in requeued) await RequeueRowAsync(connection, transaction, id, null, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE executions SET status = 'interrupted', error_json = @errorJson, ended_at = @now, lease_expires_at = NULL, " +
                "payload_json = NULL WHERE id = @id AND status = 'running'",
                interrupted.Select(id => new { id, errorJson, now }), transaction, cancellationToken: cancellationToken));
            return new LeaseExpiry(interrupted, requeued);
        }, cancellationToken);
    }

    public Task<bool> RequeueAsync(string id, string replica, CancellationToken cancellationToken) =>
        store.InTransactionAsync("execution.requeue", (connection, transaction) =>
            RequeueRowAsync(connection, transaction, id, replica, cancellationToken), cancellationToken);

    /// <summary>
    /// Back to <c>queued</c> as if just submitted (same creation time, so it is claimed soon); the abandoned attempt's
    /// node runs and events go, so the new attempt's events are numbered from 1 again.
    /// </summary>
    private static async Task<bool> RequeueRowAsync(DbConnection connection, DbTransaction transaction, string id, string? replica,
        CancellationToken cancellationToken)
    {
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE executions SET status = 'queued', replica = NULL, started_at = NULL, lease_expires_at = NULL, " +
            "cancel_requested_at = NULL, restarts = restarts + 1 " +
            "WHERE id = @id AND status = 'running' AND (@anyReplica = 1 OR replica = @replica)",
            new { id, anyReplica = replica is null ? 1 : 0, replica = replica ?? "" }, transaction, cancellationToken: cancellationToken));
        if (changed == 0) return false;
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM execution_nodes WHERE execution_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM execution_events WHERE execution_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    private sealed class ExpiredRow
    {
        public string Id { get; set; } = "";
        public string? PayloadJson { get; set; }
        public int Restarts { get; set; }
        public long? CancelRequestedAt { get; set; }
    }
}
