using System.Data.Common;
using Dapper;

namespace Thaiyyal.Storage.Sql;

/// <summary>
/// The store on SQLite or PostgreSQL: one connection per operation (pooled by the provider, so a database that
/// comes back is simply reconnected), one transaction per repository method.
/// </summary>
internal sealed class SqlStore : IThaiyyalStore
{
    private readonly SqlDialect _dialect;
    private readonly StoreOptions _options;

    static SqlStore()
    {
        // Columns are snake_case; the row classes use C# names.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    private SqlStore(SqlDialect dialect, StoreOptions options, SecretSealer sealer)
    {
        _dialect = dialect;
        _options = options;
        Workflows = new SqlWorkflowRepository(this, options);
        HttpClients = new SqlHttpClientRepository(this, sealer, options.Time);
        Executions = new SqlExecutionRepository(this, options.Time);
    }

    public static async Task<SqlStore> OpenAsync(SqlDialect dialect, StoreOptions options, SecretSealer sealer, CancellationToken cancellationToken)
    {
        try
        {
            await SchemaMigrator.MigrateAsync(dialect, cancellationToken);
        }
        catch (StorageException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            dialect.ResetPool();
            throw new StorageException($"cannot open the {dialect.Provider} store at {dialect.Describe}: {Innermost(ex).Message}", ex);
        }
        return new SqlStore(dialect, options, sealer);
    }

    public string Provider => _dialect.Provider;

    internal SqlDialect Dialect => _dialect;

    public IWorkflowRepository Workflows { get; }

    public IHttpClientRepository HttpClients { get; }

    public IExecutionRepository Executions { get; }

    public Task SignalAsync(string channel, string payload, CancellationToken cancellationToken) =>
        _dialect is not PostgresDialect ? Task.CompletedTask : InTransactionAsync("signal", (connection, transaction) =>
            connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@channel, @payload)", new { channel, payload }, transaction,
                cancellationToken: cancellationToken)), cancellationToken);

    public Task ListenAsync(string channel, Action<string> onSignal, CancellationToken cancellationToken) =>
        _dialect is PostgresDialect postgres ? postgres.ListenAsync(channel, onSignal, cancellationToken) : Task.CompletedTask;

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await InTransactionAsync("health", (connection, transaction) =>
                connection.ExecuteAsync(new CommandDefinition("UPDATE store_probe SET checked_at = @now WHERE id = 1",
                    new { now = Micros.From(_options.Time.GetUtcNow()) }, transaction, cancellationToken: cancellationToken)), cancellationToken);
            if (_dialect is SqliteDialect sqlite && _options.MinFreeDiskBytes > 0 && sqlite.FreeDiskBytes() is { } free && free < _options.MinFreeDiskBytes)
                return new StoreHealth(false, $"disk nearly full: {Mebibytes(free)} free where the database is ({sqlite.Directory}), " +
                    $"under the {Mebibytes(_options.MinFreeDiskBytes)} it needs to keep writing runs, workflows and clients");
            return new StoreHealth(true, null);
        }
        catch (StorageException ex)
        {
            return new StoreHealth(false, ex.Message);
        }
    }

    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (_dialect is not SqliteDialect) return;
        try
        {
            // Outside any transaction: a checkpoint inside one could not see past its own snapshot.
            await using var connection = _dialect.CreateConnection();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failed("checkpoint", ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction (<paramref name="readOnly"/>: it only reads) on a fresh connection; any database failure becomes a
    /// <see cref="StorageException"/> naming the operation, and is reported to <see cref="StoreOptions.OnError"/>.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(string operation, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken,
        bool readOnly = false)
    {
        try
        {
            await using var connection = _dialect.CreateConnection();
            await connection.OpenAsync(cancellationToken);
            await _dialect.PrepareAsync(connection, cancellationToken);
            await using var transaction = await _dialect.BeginAsync(connection, readOnly, cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failed(operation, ex);
        }
    }

    private static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is DbException or IOException or InvalidOperationException or TimeoutException && !cancellationToken.IsCancellationRequested;

    /// <summary>Lets the pooled connections go, reports the failure and names it.</summary>
    private StorageException Failed(string operation, Exception ex)
    {
        _dialect.ResetPool();
        _options.OnError?.Invoke(operation, ex);
        return new StorageException($"storage unavailable ({_dialect.Provider}, {operation}): {Innermost(ex).Message}", ex, _dialect.Classify(ex));
    }

    public ValueTask DisposeAsync()
    {
        // Pooled SQLite connections keep the file open; let it go so it can be copied or deleted.
        _dialect.ResetPool();
        return ValueTask.CompletedTask;
    }

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MiB";

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner && ex is not DbException) ex = inner;
        return ex;
    }
}
