using Dapper;

namespace Thaiyyal.Storage.Sql;

/// <summary>Named HTTP clients, each configuration sealed with <see cref="SecretSealer"/> before it reaches the database.</summary>
internal sealed class SqlHttpClientRepository(SqlStore store, SecretSealer sealer, TimeProvider time) : IHttpClientRepository
{
    public Task UpsertAsync(string uid, string configJson, CancellationToken cancellationToken)
    {
        var sealedConfig = sealer.Seal(uid, configJson);
        var now = Micros.From(time.GetUtcNow());
        return store.InTransactionAsync("http_client.upsert", (connection, transaction) =>
            connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO http_clients (uid, config_sealed, updated_at) VALUES (@uid, @sealedConfig, @now)
                ON CONFLICT (uid) DO UPDATE SET config_sealed = excluded.config_sealed, updated_at = excluded.updated_at
                """, new { uid, sealedConfig, now }, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    public Task<bool> DeleteAsync(string uid, CancellationToken cancellationToken) =>
        store.InTransactionAsync("http_client.delete", async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM http_clients WHERE uid = @uid", new { uid }, transaction, cancellationToken: cancellationToken)) > 0,
            cancellationToken);

    public async Task<IReadOnlyList<(string Uid, string ConfigJson)>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await store.InTransactionAsync("http_client.list", async (connection, transaction) =>
            (await connection.QueryAsync<(string Uid, byte[] ConfigSealed)>(new CommandDefinition(
                "SELECT uid, config_sealed FROM http_clients ORDER BY uid", transaction: transaction, cancellationToken: cancellationToken))).ToList(),
            cancellationToken, readOnly: true);
        return [.. rows.Select(r => (r.Uid, sealer.Open(r.Uid, r.ConfigSealed)))];
    }
}
