using System.Data;
using System.Data.Common;

namespace Thaiyyal.Storage.Sql;

/// <summary>
/// Storing finished runs, the history writer's hot loop: one row per run with its node runs and events in
/// <c>nodes_json</c>/<c>events_json</c>, through one command whose parameters are made once per batch and rebound
/// per run (SQLite reuses the prepared statement). Node runs or events that name another execution than their
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
        "events_json = excluded.events_json"; // restarts stays as the queue left it

    private static async Task<int> SaveCompletedRowsAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<CompletedExecution> batch, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SaveCompletedSql;
        var id = Add(command, "@id", DbType.String);
        var workflowId = Add(command, "@workflow_id", DbType.String);
        var workflowVersion = Add(command, "@workflow_version", DbType.Int32);
        var payloadHash = Add(command, "@payload_hash", DbType.String);
        var payloadJson = Add(command, "@payload_json", DbType.String);
        var mode = Add(command, "@mode", DbType.String);
        var source = Add(command, "@source", DbType.String);
        var status = Add(command, "@status", DbType.String);
        var createdAt = Add(command, "@created_at", DbType.Int64);
        var startedAt = Add(command, "@started_at", DbType.Int64);
        var endedAt = Add(command, "@ended_at", DbType.Int64);
        var durationMs = Add(command, "@duration_ms", DbType.Double);
        var finalOutputJson = Add(command, "@final_output_json", DbType.String);
        var errorJson = Add(command, "@error_json", DbType.String);
        var replica = Add(command, "@replica", DbType.String);
        var leaseExpiresAt = Add(command, "@lease_expires_at", DbType.Int64);
        var restarts = Add(command, "@restarts", DbType.Int32);
        var nodesJson = Add(command, "@nodes_json", DbType.String);
        var eventsJson = Add(command, "@events_json", DbType.String);

        using var json = new RunBundleJson();
        List<NodeRunRecord>? strayNodes = null;
        List<ExecutionEventRecord>? strayEvents = null;
        foreach (var completed in batch)
        {
            var (e, nodes, events) = completed;
            if (completed.EncodedEvents is not null && events.Count > 0)
                throw new ArgumentException($"execution {e.Id}: encoded events and event records are exclusive", nameof(batch));
            id.Value = e.Id;
            workflowId.Value = (object?)e.WorkflowId ?? DBNull.Value;
            workflowVersion.Value = (object?)e.WorkflowVersion ?? DBNull.Value;
            payloadHash.Value = e.PayloadHash;
            payloadJson.Value = (object?)e.PayloadJson ?? DBNull.Value;
            mode.Value = e.Mode;
            source.Value = e.Source;
            status.Value = StatusName(e.Status);
            createdAt.Value = Micros.From(e.CreatedAt);
            startedAt.Value = (object?)Micros.From(e.StartedAt) ?? DBNull.Value;
            endedAt.Value = (object?)Micros.From(e.EndedAt) ?? DBNull.Value;
            durationMs.Value = (object?)e.DurationMs ?? DBNull.Value;
            finalOutputJson.Value = (object?)e.FinalOutputJson ?? DBNull.Value;
            errorJson.Value = (object?)e.ErrorJson ?? DBNull.Value;
            replica.Value = (object?)e.Replica ?? DBNull.Value;
            leaseExpiresAt.Value = (object?)Micros.From(e.LeaseExpiresAt) ?? DBNull.Value;
            restarts.Value = e.Restarts;
            nodesJson.Value = (object?)json.Nodes(nodes, e.Id) ?? DBNull.Value;
            eventsJson.Value = (object?)completed.EncodedEvents?.Json ?? (object?)json.Events(events, e.Id) ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);

            foreach (var n in nodes)
                if (n.ExecutionId != e.Id) (strayNodes ??= []).Add(n);
            foreach (var ev in events)
                if (ev.ExecutionId != e.Id) (strayEvents ??= []).Add(ev);
        }
        if (strayNodes is not null) await InsertNodesAsync(connection, transaction, strayNodes, cancellationToken);
        if (strayEvents is not null) await InsertEventsAsync(connection, transaction, strayEvents, cancellationToken);
        return batch.Count;
    }

    private static DbParameter Add(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
