using Microsoft.Data.Sqlite;

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
    public async Task The_data_directory_is_created_and_the_file_is_in_wal_mode()
    {
        Assert.True(File.Exists(Path.Combine(Options.DataDirectory, "thaiyyal.db")));
        Assert.Equal("wal", await ScalarTextAsync(Options, "PRAGMA journal_mode"));
        Assert.Equal("sqlite", Store.Provider);
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

    private static CancellationToken None => CancellationToken.None;

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
