using System.Text.Json;
using Dapper;

namespace Thaiyyal.Storage.Sql;

/// <summary>The queue half of the executions repository (<see cref="IExecutionQueueRepository"/>).</summary>
internal sealed partial class SqlExecutionRepository
{
    /// <summary>The oldest queued run, through the status index (<see cref="Unsucceeded"/>).</summary>
    internal const string OldestQueuedSql = $"SELECT id FROM executions WHERE status = 'queued' AND {Unsucceeded} ORDER BY created_at, id LIMIT 1";

    internal const string CountQueuedSql = $"SELECT COUNT(*) FROM executions WHERE status = 'queued' AND {Unsucceeded}";

    public Task<ExecutionRecord?> ClaimNextAsync(string replica, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // The inner SELECT picks the oldest queued row no other transaction holds; the outer status check keeps a row
        // that changed meanwhile (SQLite) from being claimed twice.
        var sql = $"""
            UPDATE executions SET status = 'running', started_at = @now, replica = @replica, lease_expires_at = @leaseUntil
            WHERE id = ({OldestQueuedSql} {store.Dialect.SkipLockedRows})
              AND status = 'queued'
            RETURNING {Columns}
            """;
        return store.InTransactionAsync("execution.claim", async (connection, transaction) =>
            (await connection.QuerySingleOrDefaultAsync<ExecutionRow>(new CommandDefinition(sql,
                new { now = Micros.From(now), replica, leaseUntil = Micros.From(now + lease) }, transaction,
                cancellationToken: cancellationToken)))?.ToRecord(), cancellationToken);
    }

    public Task<LeaseRenewal> RenewLeasesAsync(string replica, IReadOnlyCollection<string> ids, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return Task.FromResult(new LeaseRenewal([], []));
        var parameters = new { leaseUntil = Micros.From(time.GetUtcNow() + lease), replica, ids = store.Dialect.IdSet(ids) };
        var sql = $"UPDATE executions SET lease_expires_at = @leaseUntil WHERE {store.Dialect.IsOneOf("id", "ids")} " +
                  "AND replica = @replica AND status = 'running' RETURNING id, cancel_requested_at";
        return store.InTransactionAsync("execution.renew_leases", async (connection, transaction) =>
        {
            var renewed = (await connection.QueryAsync<(string Id, long? CancelRequestedAt)>(new CommandDefinition(sql, parameters, transaction,
                cancellationToken: cancellationToken))).ToList();
            return new LeaseRenewal([.. renewed.Where(r => r.CancelRequestedAt is not null).Select(r => r.Id)],
                [.. ids.Except(renewed.Select(r => r.Id), StringComparer.Ordinal)]);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<string>> InterruptExpiredAsync(string reason, CancellationToken cancellationToken)
    {
        var errorJson = JsonSerializer.Serialize(new { success = false, error = reason });
        var now = Micros.From(time.GetUtcNow());
        return store.InTransactionAsync<IReadOnlyList<string>>("execution.interrupt_expired", async (connection, transaction) =>
            [.. await connection.QueryAsync<string>(new CommandDefinition(
                """
                UPDATE executions SET status = 'interrupted', error_json = @errorJson, ended_at = @now, lease_expires_at = NULL, payload_json = NULL
                WHERE status = 'running' AND lease_expires_at < @now
                RETURNING id
                """, new { errorJson, now }, transaction, cancellationToken: cancellationToken))], cancellationToken);
    }

    public Task<long> CountQueuedAsync(CancellationToken cancellationToken) =>
        store.InTransactionAsync("execution.count_queued", (connection, transaction) =>
            connection.ExecuteScalarAsync<long>(new CommandDefinition(CountQueuedSql,
                transaction: transaction, cancellationToken: cancellationToken)), cancellationToken, readOnly: true);

    public Task<CancelRequestOutcome> RequestCancelAsync(string id, string errorJson, CancellationToken cancellationToken)
    {
        var now = Micros.From(time.GetUtcNow());
        return store.InTransactionAsync("execution.request_cancel", async (connection, transaction) =>
        {
            var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT status FROM executions WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            if (status is null)
                return await IsBatchedAsync(connection, transaction, id, cancellationToken) ? CancelRequestOutcome.AlreadyFinished : CancelRequestOutcome.NotFound;
            var cancelledQueued = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE executions SET status = 'cancelled', ended_at = @now, error_json = @errorJson, payload_json = NULL
                WHERE id = @id AND status = 'queued'
                """, new { id, now, errorJson }, transaction, cancellationToken: cancellationToken));
            if (cancelledQueued > 0) return CancelRequestOutcome.CancelledWhileQueued;
            var requested = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE executions SET cancel_requested_at = @now WHERE id = @id AND status = 'running'",
                new { id, now }, transaction, cancellationToken: cancellationToken));
            return requested > 0 ? CancelRequestOutcome.RequestedWhileRunning : CancelRequestOutcome.AlreadyFinished;
        }, cancellationToken);
    }
}
