using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;

namespace Thaiyyal.Storage.Sql;

/// <summary>Executions with their node runs (<c>execution_nodes</c>) and events (<c>execution_events</c>).</summary>
internal sealed partial class SqlExecutionRepository(SqlStore store, TimeProvider time) : IExecutionRepository
{
    private const string Columns =
        "id, workflow_id, workflow_version, payload_hash, payload_json, mode, source, status, created_at, started_at, ended_at, " +
        "duration_ms, final_output_json, error_json, replica, lease_expires_at, restarts";

    private const string Values =
        "@Id, @WorkflowId, @WorkflowVersion, @PayloadHash, @PayloadJson, @Mode, @Source, @Status, @CreatedAt, @StartedAt, @EndedAt, " +
        "@DurationMs, @FinalOutputJson, @ErrorJson, @Replica, @LeaseExpiresAt, @Restarts";

    /// <summary>Every column but <c>restarts</c>, which only the queue changes.</summary>
    private const string UpdateSet =
        "workflow_id = @WorkflowId, workflow_version = @WorkflowVersion, payload_hash = @PayloadHash, payload_json = @PayloadJson, " +
        "mode = @Mode, source = @Source, status = @Status, created_at = @CreatedAt, started_at = @StartedAt, ended_at = @EndedAt, " +
        "duration_ms = @DurationMs, final_output_json = @FinalOutputJson, error_json = @ErrorJson, replica = @Replica, " +
        "lease_expires_at = @LeaseExpiresAt";

    /// <summary>
    /// The condition of the status index (migration 7), which leaves succeeded runs out. A query for other statuses
    /// states it as well, word for word: neither SQLite nor PostgreSQL (with a parameter for the status) can tell
    /// otherwise that the index holds every row the query asks for.
    /// </summary>
    internal const string Unsucceeded = "status <> 'succeeded'";

    /// <summary>Finished: nothing will change the row any more, so retention may remove it.</summary>
    private const string Finished = "status NOT IN ('queued', 'running')";

    public Task InsertAsync(ExecutionRecord execution, CancellationToken cancellationToken) =>
        store.InTransactionAsync("execution.insert", (connection, transaction) =>
            connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO executions ({Columns}) VALUES ({Values})", ExecutionRow.From(execution), transaction,
                cancellationToken: cancellationToken)), cancellationToken);

    public Task<bool> UpdateAsync(ExecutionRecord execution, CancellationToken cancellationToken) =>
        store.InTransactionAsync("execution.update", async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE executions SET {UpdateSet} WHERE id = @Id", ExecutionRow.From(execution), transaction,
                cancellationToken: cancellationToken)) > 0, cancellationToken);

    public Task SaveCompletedAsync(IReadOnlyList<CompletedExecution> batch, CancellationToken cancellationToken) =>
        batch.Count == 0 ? Task.CompletedTask : store.InTransactionAsync("execution.save_completed", (connection, transaction) =>
            SaveCompletedRowsAsync(connection, transaction, batch, cancellationToken), cancellationToken);

    public Task AppendEventsAsync(IReadOnlyList<ExecutionEventRecord> events, CancellationToken cancellationToken) =>
        events.Count == 0 ? Task.CompletedTask : store.InTransactionAsync("execution.append_events", (connection, transaction) =>
            InsertEventsAsync(connection, transaction, events, cancellationToken), cancellationToken);

    public Task<bool> AppendAttemptEventsAsync(ExecutionRecord attempt, IReadOnlyList<ExecutionEventRecord> events, CancellationToken cancellationToken) =>
        store.InTransactionAsync("execution.append_events", async (connection, transaction) =>
        {
            var held = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                $"SELECT 1 FROM executions WHERE id = @Id AND status = 'running' AND replica = @Replica AND restarts = @Restarts {store.Dialect.LockRowsForUpdate}",
                new { attempt.Id, attempt.Replica, attempt.Restarts }, transaction, cancellationToken: cancellationToken)) is not null;
            if (held && events.Count > 0) await InsertEventsAsync(connection, transaction, events, cancellationToken);
            return held;
        }, cancellationToken);

    public Task AddNodeRunsAsync(IReadOnlyList<NodeRunRecord> nodes, CancellationToken cancellationToken) =>
        nodes.Count == 0 ? Task.CompletedTask : store.InTransactionAsync("execution.add_nodes", (connection, transaction) =>
            InsertNodesAsync(connection, transaction, nodes, cancellationToken), cancellationToken);

    public Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        store.InTransactionAsync("execution.get", async (connection, transaction) =>
            (await connection.QuerySingleOrDefaultAsync<ExecutionRow>(new CommandDefinition(
                $"SELECT {Columns} FROM executions WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)))?.ToRecord()
            ?? (await FindBatchedAsync(connection, transaction, id, cancellationToken))?.Run.Record,
            cancellationToken, readOnly: true);

    public Task<IReadOnlyList<NodeRunRecord>> GetNodeRunsAsync(string id, CancellationToken cancellationToken) =>
        store.InTransactionAsync<IReadOnlyList<NodeRunRecord>>("execution.nodes", async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<NodeRow>(new CommandDefinition(
                """
                SELECT execution_id, node_id, node_type, scope_node_id, iteration, status, started_at, duration_ms, result_json,
                       result_truncated, error
                FROM execution_nodes WHERE execution_id = @id ORDER BY started_at, COALESCE(iteration, -1), id
                """, new { id }, transaction, cancellationToken: cancellationToken));
            var bundled = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT nodes_json FROM executions WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            var nodes = rows.Select(r => r.ToRecord()).ToList();
            bundled ??= (await FindBatchedAsync(connection, transaction, id, cancellationToken))?.Run.NodesJson;
            if (bundled is null) return nodes;
            // Table rows were written first; a stable sort keeps that order among equal start times.
            nodes.AddRange(RunBundleJson.ReadNodes(id, bundled));
            return [.. nodes.OrderBy(n => n.StartedAt).ThenBy(n => n.Iteration ?? -1)];
        }, cancellationToken, readOnly: true);

    public Task<IReadOnlyList<ExecutionEventRecord>> GetEventsAsync(string id, long afterSequence, CancellationToken cancellationToken) =>
        store.InTransactionAsync<IReadOnlyList<ExecutionEventRecord>>("execution.events", async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
                """
                SELECT execution_id, sequence, type, data_json, timestamp FROM execution_events
                WHERE execution_id = @id AND sequence > @afterSequence ORDER BY sequence
                """, new { id, afterSequence }, transaction, cancellationToken: cancellationToken));
            var bundled = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT events_json FROM executions WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            var events = rows.Select(r => new ExecutionEventRecord(r.ExecutionId, r.Sequence, r.Type, r.DataJson, Micros.To(r.Timestamp))).ToList();
            var batched = bundled is null ? (await FindBatchedAsync(connection, transaction, id, cancellationToken))?.Run : null;
            bundled ??= batched?.EventsJson;
            if (bundled is null && batched?.End is null) return events;
            // An event already in the table is kept as it is (appending is idempotent), as in InsertEventsAsync.
            var stored = events.Select(e => e.Sequence).ToHashSet();
            var kept = bundled is null ? [] : RunBundleJson.ReadEvents(id, bundled);
            if (batched?.End is { } end) kept.Add(end);
            events.AddRange(kept.Where(e => e.Sequence > afterSequence && stored.Add(e.Sequence)));
            return [.. events.OrderBy(e => e.Sequence)];
        }, cancellationToken, readOnly: true);

    public Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, 1000);
        var (sql, parameters) = ListQuery(query, limit);
        return store.InTransactionAsync("execution.list", async (connection, transaction) =>
        {
            var records = (await connection.QueryAsync<ExecutionRow>(new CommandDefinition(sql, parameters, transaction,
                cancellationToken: cancellationToken))).Select(r => r.ToRecord()).ToList();
            records.AddRange(await ListBatchedAsync(connection, transaction, query, limit + 1, cancellationToken));
            records.Sort(NewestFirst);
            // A run stored twice (a batch retried after its commit's answer was lost) is listed once.
            var items = new List<ExecutionRecord>(limit + 1);
            foreach (var record in records)
            {
                if (items.Count > 0 && items[^1].Id == record.Id) continue;
                items.Add(record);
                if (items.Count > limit) break;
            }
            string? next = null;
            if (items.Count > limit)
            {
                items.RemoveAt(limit);
                next = EncodeCursor(Micros.From(items[^1].CreatedAt), items[^1].Id);
            }
            return new ExecutionPage(items, next);
        }, cancellationToken, readOnly: true);
    }

    /// <summary>
    /// The listing's statement: newest first, one row more than <paramref name="limit"/> (to know whether a next page
    /// exists). A status other than succeeded is read through the status index, which leaves succeeded runs out.
    /// </summary>
    internal static (string Sql, DynamicParameters Parameters) ListQuery(ExecutionQuery query, int limit)
    {
        var (where, parameters) = WorkflowAndStatus(query);
        if (query.From is { } from)
        {
            where.Add("created_at >= @from");
            parameters.Add("from", Micros.From(from));
        }
        if (query.To is { } to)
        {
            where.Add("created_at < @to");
            parameters.Add("to", Micros.From(to));
        }
        if (query.Cursor is { } cursor)
        {
            var (createdAt, id) = DecodeCursor(cursor);
            where.Add("(created_at < @cursorAt OR (created_at = @cursorAt AND id < @cursorId))");
            parameters.Add("cursorAt", createdAt);
            parameters.Add("cursorId", id);
        }
        parameters.Add("take", limit + 1);
        var sql = $"SELECT {Columns} FROM executions" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") +
                  " ORDER BY created_at DESC, id DESC LIMIT @take";
        return (sql, parameters);
    }

    /// <summary>
    /// A listing's workflow and status conditions, the same for <c>executions</c> and <c>execution_batches</c>: both
    /// tables have a status index that leaves succeeded runs out, read for any other status.
    /// </summary>
    private static (List<string> Where, DynamicParameters Parameters) WorkflowAndStatus(ExecutionQuery query)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (query.WorkflowId is { } workflowId)
        {
            where.Add("workflow_id = @workflowId");
            parameters.Add("workflowId", workflowId);
        }
        if (query.Status is { } status)
        {
            where.Add("status = @status");
            if (status != ExecutionStatus.Succeeded) where.Add(Unsucceeded);
            parameters.Add("status", StatusName(status));
        }
        return (where, parameters);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        store.InTransactionAsync("execution.delete", async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM execution_nodes WHERE execution_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM execution_events WHERE execution_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM executions WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)) > 0
                || await DeleteBatchedAsync(connection, transaction, id, cancellationToken);
        }, cancellationToken);

    internal const string MarkInterruptedSql =
        "UPDATE executions SET status = 'interrupted', error_json = @errorJson, ended_at = @now, lease_expires_at = NULL " +
        $"WHERE status IN ('queued', 'running') AND {Unsucceeded} AND (@anyReplica = 1 OR replica = @replica)";

    public Task<int> MarkInterruptedAsync(string? replica, string reason, CancellationToken cancellationToken)
    {
        var errorJson = JsonSerializer.Serialize(new { success = false, error = reason });
        var now = Micros.From(time.GetUtcNow());
        return store.InTransactionAsync("execution.mark_interrupted", (connection, transaction) =>
            connection.ExecuteAsync(new CommandDefinition(MarkInterruptedSql, new { errorJson, now, anyReplica = replica is null ? 1 : 0, replica = replica ?? "" }, transaction,
                cancellationToken: cancellationToken)), cancellationToken);
    }

    public Task<int?> ClaimIdGeneratorAsync(string claim, string instance, DateTimeOffset staleBefore, int slots, CancellationToken cancellationToken) =>
        store.InTransactionAsync("execution.claim_id_generator", async (connection, transaction) =>
        {
            var now = Micros.From(time.GetUtcNow());
            var stale = Micros.From(staleBefore);
            // A slot never claimed, then the one unused longest. Another server may take the same one at the same
            // moment: the insert's key or the update's condition lets only one of them have it, and the other tries
            // the next candidate.
            for (var attempt = 0; attempt < 64; attempt++)
            {
                var used = await connection.QueryAsync<int>(new CommandDefinition(
                    "SELECT slot FROM id_generators ORDER BY slot", transaction: transaction, cancellationToken: cancellationToken));
                var free = FirstFreeSlot(used, slots);
                if (free is { } slot)
                {
                    var inserted = await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO id_generators (slot, claim, instance, claimed_at, seen_at) VALUES (@slot, @claim, @instance, @now, @now) " +
                        "ON CONFLICT (slot) DO NOTHING",
                        new { slot, claim, instance, now }, transaction, cancellationToken: cancellationToken));
                    if (inserted == 1) return (int?)slot;
                    continue;
                }
                var oldest = await connection.QueryFirstOrDefaultAsync<int?>(new CommandDefinition(
                    "SELECT slot FROM id_generators WHERE seen_at < @stale ORDER BY seen_at, slot LIMIT 1",
                    new { stale }, transaction, cancellationToken: cancellationToken));
                if (oldest is null) return null;
                var taken = await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE id_generators SET claim = @claim, instance = @instance, claimed_at = @now, seen_at = @now " +
                    "WHERE slot = @slot AND seen_at < @stale",
                    new { slot = oldest, claim, instance, now, stale }, transaction, cancellationToken: cancellationToken));
                if (taken == 1) return oldest;
            }
            return null;
        }, cancellationToken);

    /// <summary>The lowest slot below <paramref name="slots"/> missing from the sorted <paramref name="used"/>.</summary>
    private static int? FirstFreeSlot(IEnumerable<int> used, int slots)
    {
        var next = 0;
        foreach (var slot in used)
        {
            if (slot != next) break;
            next++;
        }
        return next < slots ? next : null;
    }

    public Task<bool> RenewIdGeneratorAsync(int slot, string claim, CancellationToken cancellationToken) =>
        store.InTransactionAsync("execution.renew_id_generator", async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE id_generators SET seen_at = @now WHERE slot = @slot AND claim = @claim",
                new { slot, claim, now = Micros.From(time.GetUtcNow()) }, transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    /// <summary>
    /// Executions removed per transaction by <see cref="PruneAsync"/>: a round that has much to remove never holds the
    /// write lock long enough to stall the history writer (SQLite has one writer at a time).
    /// </summary>
    internal const int PruneBatch = 1000;

    /// <summary>
    /// Batch rows removed per transaction by <see cref="PruneAsync"/>. A row holds up to a history writer's batch (1,024
    /// runs), so a transaction removes at most about 16,000 runs: as many as when rows held at most 256 and 64 went at once.
    /// </summary>
    internal const int PruneBatchRows = 16;

    /// <summary>
    /// The oldest execution retention by count keeps: rows and batch rows newest first (a batch row at its newest
    /// run), the first one with <c>@keep</c> runs before it; it and everything older go. So a batch row with some of
    /// the newest <c>@keep</c> runs is kept whole, and up to one row's runs more than <c>@keep</c> are kept.
    /// </summary>
    private const string PruneBoundarySql =
        "SELECT t AS CreatedAt, id AS Id FROM (" +
        "SELECT t, id, SUM(n) OVER (ORDER BY t DESC, id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - n AS newer FROM (" +
        "SELECT created_at AS t, id, 1 AS n FROM executions UNION ALL " +
        "SELECT created_to AS t, last_id AS id, run_count AS n FROM execution_batches) AS stored) AS counted " +
        "WHERE newer >= @keep ORDER BY t DESC, id DESC LIMIT 1";

    public async Task<int> PruneAsync(DateTimeOffset cutoff, int keep, CancellationToken cancellationToken)
    {
        // Finished and older than the cutoff, or finished and beyond the newest `keep` executions. The newest `keep`
        // end just before one row or batch row in creation order (found once: runs stored meanwhile are newer, so it
        // stays a safe bound); what is older than either bound is found oldest first through the creation-time indexes.
        var parameters = new DynamicParameters(new { cutoff = Micros.From(cutoff), keep = Math.Max(0, keep), batch = PruneBatch, batchRows = PruneBatchRows });
        var boundary = await store.InTransactionAsync("execution.prune", (connection, transaction) =>
            connection.QueryFirstOrDefaultAsync<(long CreatedAt, string Id)?>(new CommandDefinition(
                PruneBoundarySql, parameters, transaction, cancellationToken: cancellationToken)), cancellationToken, readOnly: true);
        var due = "created_at < @cutoff";
        var batchesDue = "created_to < @cutoff";
        if (boundary is { } firstBeyond)
        {
            due += " OR created_at < @boundaryAt OR (created_at = @boundaryAt AND id <= @boundaryId)";
            batchesDue += " OR created_to < @boundaryAt OR (created_to = @boundaryAt AND last_id <= @boundaryId)";
            parameters.Add("boundaryAt", firstBeyond.CreatedAt);
            parameters.Add("boundaryId", firstBeyond.Id);
        }
        var select = $"SELECT id FROM executions WHERE {Finished} AND ({due}) ORDER BY created_at, id LIMIT @batch";
        var selectBatches = $"SELECT first_id AS Id, run_count AS Runs FROM execution_batches WHERE {batchesDue} ORDER BY created_to, first_id LIMIT @batchRows";
        var dialect = store.Dialect;
        var removed = 0;
        while (true)
        {
            var count = await store.InTransactionAsync("execution.prune", async (connection, transaction) =>
            {
                var ids = (await connection.QueryAsync<string>(new CommandDefinition(select, parameters, transaction,
                    cancellationToken: cancellationToken))).ToList();
                if (ids.Count == 0) return 0;
                var byId = new { ids = dialect.IdSet(ids) };
                await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM execution_nodes WHERE {dialect.IsOneOf("execution_id", "ids")}",
                    byId, transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM execution_events WHERE {dialect.IsOneOf("execution_id", "ids")}",
                    byId, transaction, cancellationToken: cancellationToken));
                // Still finished (a shared store's row cannot become unfinished again, but the condition costs nothing).
                return await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM executions WHERE {dialect.IsOneOf("id", "ids")} AND {Finished}",
                    byId, transaction, cancellationToken: cancellationToken));
            }, cancellationToken);
            removed += count;
            if (count < PruneBatch) break;
        }
        while (true)
        {
            var (rows, runs) = await store.InTransactionAsync("execution.prune", async (connection, transaction) =>
            {
                var dueRows = (await connection.QueryAsync<(string Id, int Runs)>(new CommandDefinition(selectBatches, parameters, transaction,
                    cancellationToken: cancellationToken))).ToList();
                if (dueRows.Count == 0) return (0, 0);
                var gone = await connection.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM execution_batches WHERE {dialect.IsOneOf("first_id", "ids")}", new { ids = dialect.IdSet([.. dueRows.Select(d => d.Id)]) },
                    transaction, cancellationToken: cancellationToken));
                return (gone, dueRows.Sum(d => d.Runs));
            }, cancellationToken);
            removed += runs;
            if (rows < PruneBatchRows) return removed;
        }
    }

    internal static Task<int> InsertNodesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<NodeRunRecord> nodes, CancellationToken cancellationToken) =>
        nodes.Any(n => n.ResultInAnswer)
            ? throw new ArgumentException("a node run whose result is in the run's answer is kept only in the run's own row", nameof(nodes))
            : connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO execution_nodes (execution_id, node_id, node_type, scope_node_id, iteration, status, started_at, duration_ms,
                                         result_json, result_truncated, error)
            VALUES (@ExecutionId, @NodeId, @NodeType, @ScopeNodeId, @Iteration, @Status, @StartedAt, @DurationMs, @ResultJson,
                    @ResultTruncated, @Error)
            """, nodes.Select(n => new
            {
                n.ExecutionId, n.NodeId, n.NodeType, n.ScopeNodeId, n.Iteration, n.Status, StartedAt = Micros.From(n.StartedAt), n.DurationMs,
                n.ResultJson, ResultTruncated = n.ResultTruncated ? 1 : 0, n.Error,
            }), transaction, cancellationToken: cancellationToken));

    /// <summary>An event already stored (same execution and sequence) is kept as it is: appending is idempotent.</summary>
    internal static Task<int> InsertEventsAsync(DbConnection connection, DbTransaction transaction, IEnumerable<ExecutionEventRecord> events, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO execution_events (execution_id, sequence, type, data_json, timestamp)
            VALUES (@ExecutionId, @Sequence, @Type, @DataJson, @Timestamp)
            ON CONFLICT (execution_id, sequence) DO NOTHING
            """, events.Select(e => new { e.ExecutionId, e.Sequence, e.Type, e.DataJson, Timestamp = Micros.From(e.Timestamp) }),
            transaction, cancellationToken: cancellationToken));

    internal static string StatusName(ExecutionStatus status) => ExecutionStatusText.Of(status);

    private static ExecutionStatus ParseStatus(string name) => ExecutionStatusText.ParseStored(name, "executions");

    private static string EncodeCursor(long createdAt, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(createdAt.ToString(CultureInfo.InvariantCulture) + ":" + id));

    private static (long CreatedAt, string Id) DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.Integer, CultureInfo.InvariantCulture, out var createdAt))
                return (createdAt, text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            // Reported below like any other malformed cursor.
        }
        throw new ArgumentException("the cursor is not one this server handed out", nameof(cursor));
    }

    private sealed class ExecutionRow
    {
        public string Id { get; set; } = "";
        public string? WorkflowId { get; set; }
        public int? WorkflowVersion { get; set; }
        public string PayloadHash { get; set; } = "";
        public string? PayloadJson { get; set; }
        public string Mode { get; set; } = "";
        public string Source { get; set; } = "";
        public string Status { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? StartedAt { get; set; }
        public long? EndedAt { get; set; }
        public double? DurationMs { get; set; }
        public string? FinalOutputJson { get; set; }
        public string? ErrorJson { get; set; }
        public string? Replica { get; set; }
        public long? LeaseExpiresAt { get; set; }
        public int Restarts { get; set; }

        public static ExecutionRow From(ExecutionRecord e) => new()
        {
            Id = e.Id, WorkflowId = e.WorkflowId, WorkflowVersion = e.WorkflowVersion, PayloadHash = e.PayloadHash, PayloadJson = e.PayloadJson,
            Mode = e.Mode, Source = e.Source, Status = StatusName(e.Status), CreatedAt = Micros.From(e.CreatedAt),
            StartedAt = Micros.From(e.StartedAt), EndedAt = Micros.From(e.EndedAt), DurationMs = e.DurationMs,
            FinalOutputJson = e.FinalOutputJson, ErrorJson = e.ErrorJson, Replica = e.Replica, LeaseExpiresAt = Micros.From(e.LeaseExpiresAt),
            Restarts = e.Restarts,
        };

        public ExecutionRecord ToRecord() => new()
        {
            Id = Id, WorkflowId = WorkflowId, WorkflowVersion = WorkflowVersion, PayloadHash = PayloadHash, PayloadJson = PayloadJson,
            Mode = Mode, Source = Source, Status = ParseStatus(Status), CreatedAt = Micros.To(CreatedAt), StartedAt = Micros.To(StartedAt),
            EndedAt = Micros.To(EndedAt), DurationMs = DurationMs, FinalOutputJson = FinalOutputJson, ErrorJson = ErrorJson, Replica = Replica,
            LeaseExpiresAt = Micros.To(LeaseExpiresAt), Restarts = Restarts,
        };
    }

    private sealed class NodeRow
    {
        public string ExecutionId { get; set; } = "";
        public string NodeId { get; set; } = "";
        public string NodeType { get; set; } = "";
        public string? ScopeNodeId { get; set; }
        public int? Iteration { get; set; }
        public string Status { get; set; } = "";
        public long StartedAt { get; set; }
        public double? DurationMs { get; set; }
        public string? ResultJson { get; set; }
        public int ResultTruncated { get; set; }
        public string? Error { get; set; }

        public NodeRunRecord ToRecord() => new(ExecutionId, NodeId, NodeType, ScopeNodeId, Iteration, Status, Micros.To(StartedAt), DurationMs,
            ResultJson, ResultTruncated != 0, Error);
    }

    private sealed class EventRow
    {
        public string ExecutionId { get; set; } = "";
        public long Sequence { get; set; }
        public string Type { get; set; } = "";
        public string DataJson { get; set; } = "";
        public long Timestamp { get; set; }
    }
}
