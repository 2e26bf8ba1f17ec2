using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using Thaiyyal.TestSupport;

namespace Thaiyyal.Storage.Tests;

/// <summary>
/// The backup and restore recipes of docs/operations.md ("Backup and restore"), done for real: a copy taken while
/// the store is open is restored into an empty place, and a new store reads the workflows and the clients'
/// secrets from it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackupRestoreTests(PostgresCluster cluster)
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_sqlite_online_backup_and_the_key_file_restore_into_a_new_data_directory()
    {
        var live = Directory.CreateTempSubdirectory("thaiyyal-live-").FullName;
        var backup = Directory.CreateTempSubdirectory("thaiyyal-backup-").FullName;
        var restored = Directory.CreateTempSubdirectory("thaiyyal-restored-").FullName;
        try
        {
            // No key configured: the store generates encryption.key, which the recipe copies with the database.
            await using (var store = await StoreFactory.OpenAsync(new StoreOptions { DataDirectory = live }))
            {
                await SeedAsync(store);
                // While the store is open: SQLite's online backup (what sqlite3's .backup does) and VACUUM INTO.
                await using var source = new SqliteConnection($"Data Source={Path.Combine(live, "thaiyyal.db")}");
                await source.OpenAsync();
                await using var copy = new SqliteConnection($"Data Source={Path.Combine(backup, "thaiyyal.db")};Pooling=false");
                await copy.OpenAsync();
                source.BackupDatabase(copy);
                await using var vacuum = source.CreateCommand();
                vacuum.CommandText = $"VACUUM INTO '{Path.Combine(backup, "vacuumed.db")}'";
                await vacuum.ExecuteNonQueryAsync();
                SqliteConnection.ClearAllPools();
            }

            foreach (var (file, target) in new[] { ("thaiyyal.db", restored), ("vacuumed.db", null as string) })
            {
                var directory = target ?? Directory.CreateTempSubdirectory("thaiyyal-restored-").FullName;
                File.Copy(Path.Combine(backup, file), Path.Combine(directory, "thaiyyal.db"));
                File.Copy(Path.Combine(live, StoreFactory.KeyFileName), Path.Combine(directory, StoreFactory.KeyFileName));
                await using var store = await StoreFactory.OpenAsync(new StoreOptions { DataDirectory = directory });
                await AssertSeededAsync(store);
                SqliteConnection.ClearAllPools();
                if (target is null) Directory.Delete(directory, recursive: true);
            }
        }
        finally
        {
            foreach (var directory in new[] { live, backup, restored }) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_pg_dump_restored_with_pg_restore_into_an_empty_database_serves_the_same_data()
    {
        var source = await cluster.CreateDatabaseAsync();
        var target = await cluster.CreateDatabaseAsync();
        var dump = Path.Combine(Path.GetTempPath(), $"thaiyyal-{Guid.NewGuid():N}.dump");
        try
        {
            await using (var store = await StoreFactory.OpenAsync(new StoreOptions { DatabaseUrl = source, EncryptionKey = Key, DataDirectory = "unused" }))
            {
                await SeedAsync(store);
                // The commands of the guide, with postgres:// URLs as an operator's DATABASE_URL would be.
                await RunAsync("pg_dump", "--format=custom", $"--file={dump}", Url(source));
            }
            await RunAsync("pg_restore", "--clean", "--if-exists", $"--dbname={Url(target)}", dump);

            await using var restored = await StoreFactory.OpenAsync(new StoreOptions { DatabaseUrl = target, EncryptionKey = Key, DataDirectory = "unused" });
            await AssertSeededAsync(restored);
        }
        finally
        {
            File.Delete(dump);
            NpgsqlConnection.ClearAllPools();
        }
    }

    private static async Task SeedAsync(IThaiyyalStore store)
    {
        await store.Workflows.SaveAsync("orders", "Orders", "v1", """{"nodes":[1]}""", None);
        await store.Workflows.SaveAsync("orders", "Orders", "v2", """{"nodes":[2]}""", None);
        await store.HttpClients.UpsertAsync("api", """{"auth":{"token":"backup-secret-7f3a"}}""", None);
    }

    private static async Task AssertSeededAsync(IThaiyyalStore store)
    {
        var workflow = await store.Workflows.GetAsync("orders", None);
        Assert.Equal((2, "v2", """{"nodes":[2]}"""), (workflow!.Version, workflow.Description, workflow.PayloadJson));
        Assert.Equal("""{"nodes":[1]}""", (await store.Workflows.GetVersionAsync("orders", 1, None))!.PayloadJson);
        var clients = await store.HttpClients.ListAsync(None);
        var api = Assert.Single(clients);
        Assert.Equal("api", api.Uid);
        Assert.Contains("backup-secret-7f3a", api.ConfigJson, StringComparison.Ordinal);
    }

    private string Url(string keyValue)
    {
        var builder = new NpgsqlConnectionStringBuilder(keyValue);
        return $"postgres://postgres@127.0.0.1:{cluster.Port}/{builder.Database}";
    }

    /// <summary>A client tool of the installed PostgreSQL; a non-zero exit fails the test with its output.</summary>
    private static async Task RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(PostgresCluster.FindBinaries("/usr/lib/postgresql"), tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {await output} {await error}");
    }
}
