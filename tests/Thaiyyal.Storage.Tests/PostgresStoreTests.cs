using Npgsql;
using Thaiyyal.TestSupport;

using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage.Tests;

/// <summary>The contract on a real PostgreSQL: a fresh database per test in the shared throwaway cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresCluster cluster) : StoreContractTests
{
    protected override async Task<StoreOptions> CreateDatabaseAsync() =>
        new() { DatabaseUrl = await cluster.CreateDatabaseAsync(), DataDirectory = "unused-with-postgres" };

    protected override async Task ExecuteRawAsync(StoreOptions options, string sql)
    {
        await using var connection = await OpenAsync(options.DatabaseUrl!);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<long> ScalarAsync(StoreOptions options, string sql) =>
        Convert.ToInt64(await ScalarObjectAsync(options, sql), System.Globalization.CultureInfo.InvariantCulture);

    protected override async Task<string?> ScalarTextAsync(StoreOptions options, string sql) => (string?)await ScalarObjectAsync(options, sql);

    private protected override SqlDialect DialectOf(StoreOptions options) => new PostgresDialect(StoreFactory.ToNpgsqlConnectionString(options.DatabaseUrl!));

    protected override async Task<string> QueryPlanAsync(StoreOptions options, string sql, IReadOnlyDictionary<string, object?> parameters)
    {
        await using var connection = await OpenAsync(options.DatabaseUrl!);
        // A table of a few hundred rows is cheaper to read whole: without that choice, the plan shows which indexes serve.
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join("; ", lines);
    }

    protected override async Task<byte[]> ReadDatabaseFilesAsync(StoreOptions options)
    {
        // Flush to the data files, then read this database's directory (base/<oid>) and the write-ahead log.
        await ExecuteRawAsync(options, "CHECKPOINT");
        var oid = await ScalarAsync(options, "SELECT oid FROM pg_database WHERE datname = current_database()");
        var bytes = new List<byte>();
        foreach (var folder in new[] { Path.Combine(cluster.DataDirectory, "base", oid.ToString(System.Globalization.CultureInfo.InvariantCulture)), Path.Combine(cluster.DataDirectory, "pg_wal") })
        {
            foreach (var file in Directory.GetFiles(folder))
            {
                bytes.AddRange(await File.ReadAllBytesAsync(file));
            }
        }
        return [.. bytes];
    }

    [Fact]
    public async Task Postgres_urls_and_key_value_strings_both_open_the_store()
    {
        var keyValue = await cluster.CreateDatabaseAsync();
        var builder = new NpgsqlConnectionStringBuilder(keyValue);
        var url = $"postgres://postgres:unused%40pw@127.0.0.1:{cluster.Port}/{builder.Database}?sslmode=disable";
        await using var viaUrl = await OpenAsync(new StoreOptions { DatabaseUrl = url, EncryptionKey = TestKey });
        await viaUrl.Workflows.SaveAsync("w", "W", null, "{}", CancellationToken.None);
        await using var viaKeyValue = await OpenAsync(new StoreOptions { DatabaseUrl = keyValue, EncryptionKey = TestKey });
        Assert.Equal("postgres", viaKeyValue.Provider);
        Assert.Equal("W", (await viaKeyValue.Workflows.GetAsync("w", CancellationToken.None))!.Name);
    }

    [Fact]
    public async Task Postgres_without_an_encryption_key_is_refused()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() =>
            StoreFactory.OpenAsync(Options with { EncryptionKey = null }));
        Assert.Contains("THAIYYAL_ENCRYPTION_KEY is required with PostgreSQL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_server_makes_operations_fail_clearly_and_health_degraded_until_it_returns()
    {
        // Stops the shared cluster: the collection runs its tests one after another, so no other test is affected.
        await Store.Workflows.SaveAsync("before", "Before", null, "{}", CancellationToken.None);
        await cluster.StopAsync();
        try
        {
            var error = await Assert.ThrowsAsync<StorageException>(() =>
                Store.Workflows.SaveAsync("during", "During", null, "{}", CancellationToken.None));
            Assert.Contains("storage unavailable (postgres, workflow.save)", error.Message, StringComparison.Ordinal);
            Assert.Equal(StorageFault.Unavailable, error.Fault);
            var health = await Store.CheckHealthAsync(CancellationToken.None);
            Assert.False(health.Healthy);
            Assert.Contains("storage unavailable", health.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await cluster.StartAsync();
        }
        Assert.True((await Store.CheckHealthAsync(CancellationToken.None)).Healthy);
        Assert.Equal("Before", (await Store.Workflows.GetAsync("before", CancellationToken.None))!.Name);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(StoreFactory.ToNpgsqlConnectionString(connectionString) + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarObjectAsync(StoreOptions options, string sql)
    {
        await using var connection = await OpenAsync(options.DatabaseUrl!);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
