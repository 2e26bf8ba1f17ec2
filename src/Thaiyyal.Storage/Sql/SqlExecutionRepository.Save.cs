using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Thaiyyal.Storage.Sql;

/// <summary>
/// Storing finished runs, the history writer's hot loop: one row per run with its node runs and events in
/// <c>nodes_json</c>/<c>events_json</c>; on SQLite through one statement prepared per batch and rebound per run
/// (<see cref="SqliteCompletedRows"/>), on PostgreSQL as batches of statements, many rows per round trip. Node runs or events that name another execution than their
/// record go to the tables as before.
/// </summary>
internal sealed partial class SqlExecutionRepository
{
    private const string SaveCompletedSql =
        $"INSERT INTO executions ({Columns}, nodes_json, events_json) VALUES (@id, @workflow_id, @workflow_version, @payload_hash, " +
        "@payload_json, @mode, @source, @status, @created_at, @started_at, @ended_at, @duration_ms, @final_output_json, @error_json, " +
        "@replica, @lease_expires_at, @restarts, @nodes_json, @events_json) ON CONFLICT (id) DO UPDATE SET " +
        "workflow_id = excluded.workflow_id, workflow_version = excluded.workflow_version, payload_hash = excluded.payload_hash, " +
        "payload_json = excluded.payload_json, mode = excluded.mode, source = excluded.source, status = excluded.status, " +
        "created_at = excluded.created_at, started_at = excluded.started_at, ended_at = excluded.ended_at, " +
        "duration_ms = excluded.duration_ms, final_output_json = excluded.final_output_json, error_json = excluded.error_json, " +
        "replica = excluded.replica, lease_expires_at = excluded.lease_expires_at, nodes_json = excluded.nodes_json, " +
        "events_json = excluded.events_json " + // restarts stays as the queue left it
        // Only the attempt that holds the row replaces it: a replica whose lease lapsed finds the row requeued (restarts
        // counted up), claimed by another replica, or interrupted, and its late record is dropped.
        "WHERE executions.restarts = excluded.restarts AND executions.status IN ('queued', 'running', 'cancelled') " +
        "AND (executions.replica IS NULL OR executions.replica = excluded.replica)";

    /// <summary>The statement's parameters, in the order <see cref="BindRow"/> sets them.</summary>
    private static readonly (string Name, DbType Type)[] SaveParameters =
    [
        ("@id", DbType.String), ("@workflow_id", DbType.String), ("@workflow_version", DbType.Int32), ("@payload_hash", DbType.String),
        ("@payload_json", DbType.String), ("@mode", DbType.String), ("@source", DbType.String), ("@status", DbType.String),
        ("@created_at", DbType.Int64), ("@started_at", DbType.Int64), ("@ended_at", DbType.Int64), ("@duration_ms", DbType.Double),
        ("@final_output_json", DbType.String), ("@error_json", DbType.String), ("@replica", DbType.String),
        ("@lease_expires_at", DbType.Int64), ("@restarts", DbType.Int32), ("@nodes_json", DbType.String), ("@events_json", DbType.String),
    ];

    /// <summary>
    /// A batch row of finished synchronous runs (migration 8), its values in <see cref="BatchHead"/> order and then
    /// <c>runs</c>. The same first id again is the same runs stored again (a batch retried after its commit's
    /// answer was lost, with the runs recorded since), so the row is replaced.
    /// </summary>
    internal const string SaveBatchSql =
        "INSERT INTO execution_batches (first_id, last_id, workflow_id, status, created_from, created_to, run_count, runs) " +
        "VALUES (@first_id, @last_id, @workflow_id, @status, @created_from, @created_to, @run_count, @runs) " +
        "ON CONFLICT (first_id) DO UPDATE SET last_id = excluded.last_id, workflow_id = excluded.workflow_id, status = excluded.status, " +
        "created_from = excluded.created_from, created_to = excluded.created_to, run_count = excluded.run_count, runs = excluded.runs";

    private static void AddBatchParameters(DbParameterCollection parameters, Func<DbParameter> create, in BatchHead head, byte[] runs)
    {
        void Add(string name, object? value)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            parameters.Add(parameter);
        }
        Add("@first_id", head.FirstId);
        Add("@last_id", head.LastId);
        Add("@workflow_id", head.WorkflowId);
        Add("@status", head.Status);
        Add("@created_from", head.CreatedFrom);
        Add("@created_to", head.CreatedTo);
        Add("@run_count", head.RunCount);
        Add("@runs", runs);
    }

    /// <summary>Rows per round trip where the driver batches statements (PostgreSQL): one network round trip each.</summary>
    private const int RowsPerRoundTrip = 64;

    private static async Task<int> SaveCompletedRowsAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<CompletedExecution> batch, CancellationToken cancellationToken)
    {
        using var json = RunBundleJson.Rent();
        List<NodeRunRecord>? strayNodes = null;
        List<ExecutionEventRecord>? strayEvents = null;
        foreach (var completed in batch)
        {
            var (e, nodes, events) = completed;
            if (completed.EncodedEvents is not null && events.Count > 0)
                throw new ArgumentException($"execution {e.Id}: encoded events and event records are exclusive", nameof(batch));
            if (completed.EncodedNodes is not null && nodes.Any(n => n.ExecutionId == e.Id))
                throw new ArgumentException($"execution {e.Id}: encoded node runs and its node run records are exclusive", nameof(batch));
            foreach (var n in nodes)
                if (n.ExecutionId != e.Id) (strayNodes ??= []).Add(n);
            foreach (var ev in events)
                if (ev.ExecutionId != e.Id) (strayEvents ??= []).Add(ev);
        }

        List<CompletedExecution>? batched = null;
        List<CompletedExecution>? own = null;
        foreach (var completed in batch)
        {
            if (RunBundleJson.Batchable(completed.Execution))
            {
                if (completed.RunEnd is { } end && (completed.Execution.EndedAt is null || end.Body.IsEmpty))
                    throw new ArgumentException($"execution {completed.Execution.Id}: a run whose end event is kept as fields needs its end time and an answer", nameof(batch));
                (batched ??= []).Add(completed);
            }
            else if (completed.Execution.RunStart is null && completed.RunEnd is null) (own ??= []).Add(completed);
            else throw new ArgumentException($"execution {completed.Execution.Id}: only a run stored in a batch keeps its run.started or end event as fields", nameof(batch));
        }

        if (connection.CanCreateBatch)
        {
            // PostgreSQL: many rows per round trip instead of one; each row keeps its own parameters.
            for (var start = 0; own is not null && start < own.Count; start += RowsPerRoundTrip)
            {
                await using var rows = connection.CreateBatch();
                rows.Transaction = transaction;
                for (var i = start; i < Math.Min(own.Count, start + RowsPerRoundTrip); i++)
                {
                    var row = rows.CreateBatchCommand();
                    row.CommandText = SaveCompletedSql;
                    AddSaveParameters(row.Parameters, row.CreateParameter);
                    BindRow(new ParameterValues(row.Parameters), own[i], json);
                    rows.BatchCommands.Add(row);
                }
                await rows.ExecuteNonQueryAsync(cancellationToken);
            }
            if (batched is not null)
            {
                await using var rows = connection.CreateBatch();
                rows.Transaction = transaction;
                json.WriteBatches(batched, (in BatchHead head, ReadOnlySpan<byte> runs) =>
                {
                    var row = rows.CreateBatchCommand();
                    row.CommandText = SaveBatchSql;
                    AddBatchParameters(row.Parameters, row.CreateParameter, head, runs.ToArray());
                    rows.BatchCommands.Add(row);
                });
                await rows.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        else
        {
            // SQLite, the provider without batches: one prepared statement, rebound per row by position, in the
            // transaction the store began on this connection (no round trips to save).
            if (own is not null) SqliteCompletedRows.Save((SqliteConnection)connection, SaveCompletedSql, own, json);
            if (batched is not null) SqliteCompletedRows.SaveBatches((SqliteConnection)connection, SaveBatchSql, batched, json);
        }
        if (strayNodes is not null) await InsertNodesAsync(connection, transaction, strayNodes, cancellationToken);
        if (strayEvents is not null) await InsertEventsAsync(connection, transaction, strayEvents, cancellationToken);
        return batch.Count;
    }

    /// <summary>Adds <see cref="SaveParameters"/>, unbound, to a command's or a batch command's parameters.</summary>
    private static void AddSaveParameters(DbParameterCollection parameters, Func<DbParameter> create)
    {
        foreach (var (name, type) in SaveParameters)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.DbType = type;
            parameters.Add(parameter);
        }
    }

    /// <summary>
    /// Sets one row's values in the order of <see cref="SaveParameters"/>: the one mapping from a run to its row, for
    /// both databases (<see cref="ParameterValues"/>, <see cref="SqliteCompletedRows"/>).
    /// </summary>
    internal static void BindRow<TValues>(TValues row, CompletedExecution completed, RunBundleJson json) where TValues : IRowValues
    {
        var (e, nodes, events) = completed;
        row.Text(0, e.Id);
        row.Text(1, e.WorkflowId);
        row.Int32(2, e.WorkflowVersion);
        row.Text(3, e.PayloadHash);
        row.Text(4, e.PayloadJson);
        row.Text(5, e.Mode);
        row.Text(6, e.Source);
        row.Text(7, StatusName(e.Status));
        row.Int64(8, Micros.From(e.CreatedAt));
        row.Int64(9, Micros.From(e.StartedAt));
        row.Int64(10, Micros.From(e.EndedAt));
        row.Real(11, e.DurationMs);
        row.Text(12, e.FinalOutputJson);
        row.Text(13, e.ErrorJson);
        row.Text(14, e.Replica);
        row.Int64(15, Micros.From(e.LeaseExpiresAt));
        row.Int32(16, e.Restarts);
        row.Utf8(17, completed.EncodedNodes?.Utf8 ?? json.NodesUtf8(nodes, e.Id));
        if (completed.EncodedEvents?.Utf8 is { } encoded) row.Utf8(18, encoded);
        else row.Text(18, json.Events(events, e.Id));
    }

    /// <summary>A row's values by position (0-based, <see cref="SaveParameters"/> order); null, and empty UTF-8, are SQL NULL.</summary>
    internal interface IRowValues
    {
        void Text(int position, string? value);

        /// <summary>Text given as UTF-8; the bytes are used before this call returns.</summary>
        void Utf8(int position, ReadOnlySpan<byte> value);

        void Int32(int position, int? value);

        void Int64(int position, long? value);

        void Real(int position, double? value);
    }

    /// <summary>A command's parameters (<see cref="AddSaveParameters"/>) as a row's values.</summary>
    private readonly struct ParameterValues(DbParameterCollection parameters) : IRowValues
    {
        public void Text(int position, string? value) => Set(position, value);

        public void Utf8(int position, ReadOnlySpan<byte> value) => Set(position, value.IsEmpty ? null : Encoding.UTF8.GetString(value));

        public void Int32(int position, int? value) => Set(position, value);

        public void Int64(int position, long? value) => Set(position, value);

        public void Real(int position, double? value) => Set(position, value);

        private void Set(int position, object? value) => parameters[position].Value = value ?? DBNull.Value;
    }
}
