using Microsoft.Data.Sqlite;

using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage.Tests;

/// <summary>The contract on a real SQLite file in a temporary data directory.</summary>
public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly List<string> _directories = [];

    protected override Task<StoreOptions> CreateDatabaseAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "thaiyyal-sqlite-" + Guid.NewGuid().ToString("N"), "data");
        _directories.Add(directory);
        return Task.FromResult(new StoreOptions { DataDirectory = directory });
    }

    protected override async Task ExecuteRawAsync(StoreOptions options, string sql)
    {
        await using var connection = Open(options);
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<long> ScalarAsync(StoreOptions options, string sql) =>
        Convert.ToInt64(await ScalarObjectAsync(options, sql), System.Globalization.CultureInfo.InvariantCulture);

    protected override async Task<string?> ScalarTextAsync(StoreOptions options, string sql) => (string?)await ScalarObjectAsync(options, sql);

    private protected override SqlDialect DialectOf(StoreOptions options) => new SqliteDialect(Path.Combine(options.DataDirectory, StoreFactory.SqliteFileName));

    protected override async Task<string> QueryPlanAsync(StoreOptions options, string sql, IReadOnlyDictionary<string, object?> parameters)
    {
        await using var connection = Open(options);
        await using var command = new SqliteCommand("EXPLAIN QUERY PLAN " + sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue("@" + name, value ?? DBNull.Value);
        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) steps.Add(reader.GetString(reader.GetOrdinal("detail")));
        return string.Join("; ", steps);
    }

    protected override async Task<byte[]> ReadDatabaseFilesAsync(StoreOptions options)
    {
        var bytes = new List<byte>();
        foreach (var file in Directory.GetFiles(options.DataDirectory, "thaiyyal.db*"))
        {
            // The WAL is open by the store; read it shared.
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory);
            bytes.AddRange(memory.ToArray());
        }
        return [.. bytes];
    }

    protected override Task DisposeDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var directory in _directories)
        {
            var parent = Path.GetDirectoryName(directory)!;
            if (Directory.Exists(parent)) Directory.Delete(parent, recursive: true);
        }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Health_is_degraded_while_the_disk_has_less_free_space_than_the_store_needs()
    {
        // The probe's one row fits on a disk too full for anything else, so the free space is checked as well.
        var options = await CreateDatabaseAsync();
        await using (var roomy = await StoreFactory.OpenAsync(options))
            Assert.True((await roomy.CheckHealthAsync(CancellationToken.None)).Healthy);
        await using var cramped = await StoreFactory.OpenAsync(options with { MinFreeDiskBytes = long.MaxValue });

        var health = await cramped.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.Healthy);
        Assert.StartsWith("disk nearly full: ", health.Reason, StringComparison.Ordinal);
        Assert.Contains($"free where the database is ({Path.GetFullPath(options.DataDirectory)})", health.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_database_is_unavailable_not_the_data_s_fault()
    {
        // A real SQLITE_FULL: the file may not grow past the pages it has (as on a full disk).
        var options = await CreateDatabaseAsync();
        Directory.CreateDirectory(options.DataDirectory);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(options.DataDirectory, "full.db")};Pooling=False");
        await connection.OpenAsync();
        await using (var create = new SqliteCommand("CREATE TABLE t (x TEXT NOT NULL)", connection)) await create.ExecuteNonQueryAsync();
        await using (var cap = new SqliteCommand("PRAGMA max_page_count = 2", connection)) await cap.ExecuteNonQueryAsync();
        await using var insert = new SqliteCommand("INSERT INTO t VALUES (@x)", connection);
        insert.Parameters.AddWithValue("@x", new string('x', 20_000));

        var full = await Assert.ThrowsAsync<SqliteException>(() => insert.ExecuteNonQueryAsync());

        Assert.Equal(SQLitePCL.raw.SQLITE_FULL, full.SqliteErrorCode);
        Assert.Equal(StorageFault.Unavailable, DialectOf(options).Classify(full));
        Assert.Equal(StorageFault.Unavailable, DialectOf(options).Classify(new InvalidOperationException("wrapped", full)));
        await using var refuse = new SqliteCommand("INSERT INTO t VALUES (NULL)", connection);
        Assert.Equal(StorageFault.DataRefused, DialectOf(options).Classify(await Assert.ThrowsAsync<SqliteException>(() => refuse.ExecuteNonQueryAsync())));
    }

    [Fact]
    public async Task The_data_directory_is_created_and_the_file_is_in_wal_mode()
    {
        Assert.True(File.Exists(Path.Combine(Options.DataDirectory, "thaiyyal.db")));
        Assert.Equal("wal", await ScalarTextAsync(Options, "PRAGMA journal_mode"));
        Assert.Equal("sqlite", Store.Provider);
    }

    [Fact]
    public async Task A_checkpoint_copies_the_log_into_the_database_file_and_does_not_wait_for_a_writer()
    {
        // The schema, written at start-up, into the file first.
        await Store.CheckpointAsync(None);
        var batch = Enumerable.Range(0, 40).Select(i => new CompletedExecution(Execution($"w{i:D2}", T0.AddSeconds(i)), [], [])).ToList();
        await Store.Executions.SaveCompletedAsync(batch, None);
        // Committed, but only to the write-ahead log so far.
        Assert.Equal(0, await CountInDatabaseFileAloneAsync("SELECT COUNT(*) FROM executions WHERE id LIKE 'w%'"));

        await Store.CheckpointAsync(None);
        Assert.Equal(40, await CountInDatabaseFileAloneAsync("SELECT COUNT(*) FROM executions WHERE id LIKE 'w%'"));

        // Another connection holds the write lock with a change of its own: the checkpoint neither waits for it nor copies it.
        await using var writer = Open(Options);
        await using (var begin = new SqliteCommand("BEGIN IMMEDIATE; UPDATE executions SET status = 'failed' WHERE id = 'w00';", writer))
            await begin.ExecuteNonQueryAsync();
        await Store.CheckpointAsync(None).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, await CountInDatabaseFileAloneAsync("SELECT COUNT(*) FROM executions WHERE status = 'failed'"));
        await using (var rollback = new SqliteCommand("ROLLBACK;", writer)) await rollback.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A connection's settings are applied once per database handle and kept while the pool holds it: every
    /// transaction has them, on a handle the pool first opened for a checkpoint (which does not apply them) and on a
    /// second handle opened while the first is in use.
    /// </summary>
    [Fact]
    public async Task Every_transaction_has_the_store_s_settings_though_a_pooled_connection_gets_them_once()
    {
        var store = (SqlStore)Store;
        var expected = (Busy: 10000L, Sync: 1L, Cache: -16384L, Checkpoint: 10000L);
        for (var i = 0; i < 3; i++)
        {
            await Store.CheckpointAsync(None);
            var (outer, inner) = await store.InTransactionAsync("settings", async (connection, transaction) =>
                (await SettingsAsync(connection, transaction),
                    await store.InTransactionAsync("settings", SettingsAsync, None)), None, readOnly: true);
            Assert.Equal(expected, outer);
            Assert.Equal(expected, inner);
        }

        static async Task<(long Busy, long Sync, long Cache, long Checkpoint)> SettingsAsync(System.Data.Common.DbConnection connection,
            System.Data.Common.DbTransaction transaction)
        {
            async Task<long> Pragma(string name)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "PRAGMA " + name;
                return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
            return (await Pragma("busy_timeout"), await Pragma("synchronous"), await Pragma("cache_size"), await Pragma("wal_autocheckpoint"));
        }
    }

    /// <summary>Runs a count on a copy of the database file made without its write-ahead log.</summary>
    private async Task<long> CountInDatabaseFileAloneAsync(string sql)
    {
        var copy = Path.Combine(Path.GetDirectoryName(Options.DataDirectory)!, "copy-" + Guid.NewGuid().ToString("N") + ".db");
        await using (var source = new FileStream(Path.Combine(Options.DataDirectory, "thaiyyal.db"), FileMode.Open, FileAccess.Read,
                         FileShare.ReadWrite | FileShare.Delete))
        await using (var target = File.Create(copy))
            await source.CopyToAsync(target);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task An_empty_key_file_beside_no_database_is_replaced_and_beside_a_database_is_refused_by_name()
    {
        // A first start on a full disk used to leave an empty key file, which every later start refused.
        var options = (await CreateDatabaseAsync()) with { EncryptionKey = null };
        Directory.CreateDirectory(options.DataDirectory);
        var keyFile = Path.Combine(options.DataDirectory, "encryption.key");
        await File.WriteAllTextAsync(keyFile, "");
        await using (var store = await OpenAsync(options))
        {
            await store.HttpClients.UpsertAsync("api", """{"token":"abc"}""", None);
        }
        Assert.Equal(32, Convert.FromBase64String(await File.ReadAllTextAsync(keyFile)).Length);
        Assert.Equal([keyFile], Directory.GetFiles(options.DataDirectory, "encryption.key*"));   // no half-written copy left

        // With a database beside it, the secrets sealed by the lost key cannot be read: refused, not replaced.
        await File.WriteAllTextAsync(keyFile, "");
        var error = await Assert.ThrowsAsync<StorageException>(() => OpenAsync(options));
        Assert.Contains($"the key file {Path.GetFullPath(keyFile)} is empty, and the registered HTTP clients in", error.Message, StringComparison.Ordinal);
        Assert.Equal("", await File.ReadAllTextAsync(keyFile));
    }

    [Fact]
    public async Task Without_a_configured_key_one_is_generated_beside_the_database_and_reused()
    {
        var options = (await CreateDatabaseAsync()) with { EncryptionKey = null };
        await using (var store = await OpenAsync(options))
        {
            await store.HttpClients.UpsertAsync("api", """{"token":"abc"}""", None);
        }
        var keyFile = Path.Combine(options.DataDirectory, "encryption.key");
        Assert.Equal(32, Convert.FromBase64String(await File.ReadAllTextAsync(keyFile)).Length);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        await using var reopened = await OpenAsync(options);
        Assert.Equal("""{"token":"abc"}""", (await reopened.HttpClients.ListAsync(None)).Single().ConfigJson);
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_is_a_clear_error()
    {
        var blocker = Path.Combine(Path.GetDirectoryName(Options.DataDirectory)!, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var error = await Assert.ThrowsAsync<StorageException>(() => StoreFactory.OpenAsync(new StoreOptions { DataDirectory = Path.Combine(blocker, "data") }));
        Assert.Contains("cannot create the data directory", error.Message, StringComparison.Ordinal);
    }

    private static SqliteConnection Open(StoreOptions options)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(options.DataDirectory, "thaiyyal.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static async Task<object?> ScalarObjectAsync(StoreOptions options, string sql)
    {
        await using var connection = Open(options);
        await using var command = new SqliteCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
