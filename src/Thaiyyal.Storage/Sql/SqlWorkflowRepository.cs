using System.Text;
using Dapper;

namespace Thaiyyal.Storage.Sql;

/// <summary>Workflows: the latest version in <c>workflows</c>, every version in <c>workflow_versions</c>.</summary>
internal sealed class SqlWorkflowRepository(SqlStore store, StoreOptions options) : IWorkflowRepository
{
    public Task<WorkflowRecord> SaveAsync(string id, string name, string? description, string payloadJson, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetByteCount(payloadJson);
        if (options.MaxWorkflowBytes > 0 && bytes > options.MaxWorkflowBytes)
        {
            throw new StorageLimitException(StorageLimit.WorkflowTooLarge,
                $"workflow is {bytes} bytes, larger than the {options.MaxWorkflowBytes}-byte limit for one workflow");
        }
        var now = Micros.From(options.Time.GetUtcNow());
        return store.InTransactionAsync("workflow.save", async (connection, transaction) =>
        {
            // Saves take turns (a row lock on PostgreSQL, the write lock on SQLite) so that the budget and count
            // checks below hold under concurrent saves on every replica.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE store_probe SET checked_at = checked_at WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
            var used = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COALESCE(SUM(payload_bytes), 0) FROM workflow_versions", transaction: transaction, cancellationToken: cancellationToken));
            if (options.MaxTotalWorkflowBytes > 0 && used + bytes > options.MaxTotalWorkflowBytes)
            {
                throw new StorageLimitException(StorageLimit.StoreFull,
                    $"the store is full: {used} of {options.MaxTotalWorkflowBytes} bytes used, this version needs {bytes}; delete some workflows first");
            }
            if (options.MaxWorkflows > 0)
            {
                var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM workflows WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
                var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM workflows", transaction: transaction, cancellationToken: cancellationToken));
                if (exists == 0 && count >= options.MaxWorkflows)
                {
                    throw new StorageLimitException(StorageLimit.StoreFull,
                        $"the store is full ({options.MaxWorkflows} workflows); delete some first");
                }
            }
            // The upsert takes the row lock (PostgreSQL) or the write lock (SQLite), so concurrent saves of one id
            // get consecutive versions.
            var row = await connection.QuerySingleAsync<(long Version, long CreatedAt)>(new CommandDefinition(
                """
                INSERT INTO workflows (id, name, description, version, created_at, updated_at)
                VALUES (@id, @name, @description, 1, @now, @now)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
                    version = workflows.version + 1, updated_at = excluded.updated_at
                RETURNING version, created_at
                """, new { id, name, description, now }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO workflow_versions (workflow_id, version, name, description, payload_json, payload_bytes, created_at)
                VALUES (@id, @version, @name, @description, @payloadJson, @bytes, @now)
                """, new { id, version = (int)row.Version, name, description, payloadJson, bytes = (long)bytes, now }, transaction,
                cancellationToken: cancellationToken));
            return new WorkflowRecord(id, name, description, payloadJson, (int)row.Version, Micros.To(row.CreatedAt), Micros.To(now));
        }, cancellationToken);
    }

    public Task<WorkflowRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        store.InTransactionAsync("workflow.get", async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<WorkflowRow>(new CommandDefinition(
                LatestSelect + " WHERE w.id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            return row?.ToRecord();
        }, cancellationToken, readOnly: true);

    public Task<IReadOnlyList<WorkflowRecord>> ListAsync(CancellationToken cancellationToken) =>
        store.InTransactionAsync<IReadOnlyList<WorkflowRecord>>("workflow.list", async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<WorkflowRow>(new CommandDefinition(
                LatestSelect + " ORDER BY w.created_at DESC, w.id", transaction: transaction, cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToRecord())];
        }, cancellationToken, readOnly: true);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        store.InTransactionAsync("workflow.delete", async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM workflow_versions WHERE workflow_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM workflows WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)) > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<WorkflowVersionRecord>> ListVersionsAsync(string id, CancellationToken cancellationToken) =>
        store.InTransactionAsync<IReadOnlyList<WorkflowVersionRecord>>("workflow.versions", async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<VersionRow>(new CommandDefinition(
                VersionSelect + " WHERE workflow_id = @id ORDER BY version DESC", new { id }, transaction, cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToRecord())];
        }, cancellationToken, readOnly: true);

    public Task<WorkflowVersionRecord?> GetVersionAsync(string id, int version, CancellationToken cancellationToken) =>
        store.InTransactionAsync("workflow.version", async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(
                VersionSelect + " WHERE workflow_id = @id AND version = @version", new { id, version }, transaction,
                cancellationToken: cancellationToken));
            return row?.ToRecord();
        }, cancellationToken, readOnly: true);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        store.InTransactionAsync("workflow.count", async (connection, transaction) =>
            (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM workflows", transaction: transaction, cancellationToken: cancellationToken)), cancellationToken, readOnly: true);

    private const string LatestSelect =
        """
        SELECT w.id, w.name, w.description, v.payload_json, w.version, w.created_at, w.updated_at
        FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.version
        """;

    private const string VersionSelect =
        "SELECT workflow_id, version, name, description, payload_json, created_at FROM workflow_versions";

    private sealed class WorkflowRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string PayloadJson { get; set; } = "";
        public int Version { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public WorkflowRecord ToRecord() =>
            new(Id, Name, Description, PayloadJson, Version, Micros.To(CreatedAt), Micros.To(UpdatedAt));
    }

    private sealed class VersionRow
    {
        public string WorkflowId { get; set; } = "";
        public int Version { get; set; }
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string PayloadJson { get; set; } = "";
        public long CreatedAt { get; set; }

        public WorkflowVersionRecord ToRecord() => new(WorkflowId, Version, Name, Description, PayloadJson, Micros.To(CreatedAt));
    }
}
