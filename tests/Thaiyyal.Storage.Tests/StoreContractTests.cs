using System.Text;
using Microsoft.Extensions.Time.Testing;
using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage.Tests;

/// <summary>
/// The repository behaviour every backend must have. Each test gets a fresh, empty database from the subclass
/// (a SQLite file in a temporary directory, a new database in a throwaway PostgreSQL cluster).
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected static readonly string TestKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly List<IThaiyyalStore> _opened = [];

    protected IThaiyyalStore Store { get; private set; } = null!;

    /// <summary>Options pointing at this test's database (data directory or database URL).</summary>
    protected abstract Task<StoreOptions> CreateDatabaseAsync();

    /// <summary>Runs SQL on the database outside the store (to simulate another build's schema).</summary>
    protected abstract Task ExecuteRawAsync(StoreOptions options, string sql);

    /// <summary>The first column of the first row, as a number.</summary>
    protected abstract Task<long> ScalarAsync(StoreOptions options, string sql);

    /// <summary>Every byte the database keeps on disk for this test's data.</summary>
    protected abstract Task<byte[]> ReadDatabaseFilesAsync(StoreOptions options);

    protected StoreOptions Options { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Options = (await CreateDatabaseAsync()) with { EncryptionKey = TestKey };
        Store = await OpenAsync(Options);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        await DisposeDatabaseAsync();
    }

    protected virtual Task DisposeDatabaseAsync() => Task.CompletedTask;

    protected async Task<IThaiyyalStore> OpenAsync(StoreOptions options)
    {
        var store = await StoreFactory.OpenAsync(options);
        lock (_opened) _opened.Add(store);
        return store;
    }

    protected static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Every_save_makes_a_new_version_and_the_latest_is_loaded()
    {
        var first = await Store.Workflows.SaveAsync("wf-1", "First", "one", """{"nodes":[1]}""", None);
        var second = await Store.Workflows.SaveAsync("wf-1", "First renamed", null, """{"nodes":[2]}""", None);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        var loaded = await Store.Workflows.GetAsync("wf-1", None);
        Assert.NotNull(loaded);
        Assert.Equal(2, loaded.Version);
        Assert.Equal("First renamed", loaded.Name);
        Assert.Null(loaded.Description);
        Assert.Equal("""{"nodes":[2]}""", loaded.PayloadJson);

        var versions = await Store.Workflows.ListVersionsAsync("wf-1", None);
        Assert.Equal([2, 1], versions.Select(v => v.Version));
        var old = await Store.Workflows.GetVersionAsync("wf-1", 1, None);
        Assert.Equal(("First", "one", """{"nodes":[1]}"""), (old!.Name, old.Description, old.PayloadJson));
        Assert.Null(await Store.Workflows.GetVersionAsync("wf-1", 3, None));
    }

    [Fact]
    public async Task Workflows_list_newest_first_and_delete_removes_every_version()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var store = await OpenAsync(Options with { Time = time });
        await store.Workflows.SaveAsync("b", "B", null, "{}", None);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.Workflows.SaveAsync("a", "A", null, "{}", None);
        await store.Workflows.SaveAsync("a", "A", null, "{\"x\":1}", None);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.Workflows.SaveAsync("c", "C", null, "{}", None);

        Assert.Equal(["c", "a", "b"], (await store.Workflows.ListAsync(None)).Select(w => w.Id));
        Assert.Equal(3, await store.Workflows.CountAsync(None));
        Assert.True(await store.Workflows.DeleteAsync("a", None));
        Assert.False(await store.Workflows.DeleteAsync("a", None));
        Assert.Null(await store.Workflows.GetAsync("a", None));
        Assert.Empty(await store.Workflows.ListVersionsAsync("a", None));
        Assert.Equal(["c", "b"], (await store.Workflows.ListAsync(None)).Select(w => w.Id));
    }

    [Fact]
    public async Task Concurrent_saves_of_one_workflow_get_distinct_consecutive_versions()
    {
        var saves = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.Workflows.SaveAsync("same", "S", null, $"{{\"i\":{i}}}", None))));
        Assert.Equal(Enumerable.Range(1, 8), saves.Select(s => s.Version).Order());
        Assert.Equal(8, (await Store.Workflows.GetAsync("same", None))!.Version);
    }

    [Fact]
    public async Task Http_clients_upsert_list_delete_and_are_encrypted_at_rest()
    {
        const string secret = "s3cr3t-token-that-must-not-leak-7f3a";
        await Store.HttpClients.UpsertAsync("api", $$$"""{"auth":{"token":"{{{secret}}}"}}""", None);
        await Store.HttpClients.UpsertAsync("other", """{"base_url":"http://127.0.0.1"}""", None);
        await Store.HttpClients.UpsertAsync("api", $$$"""{"auth":{"token":"{{{secret}}}-v2"}}""", None);

        var clients = await Store.HttpClients.ListAsync(None);
        Assert.Equal(["api", "other"], clients.Select(c => c.Uid));
        Assert.Equal($$$"""{"auth":{"token":"{{{secret}}}-v2"}}""", clients[0].ConfigJson);

        var files = await ReadDatabaseFilesAsync(Options);
        Assert.True(files.Length > 0);
        Assert.Equal(-1, files.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        Assert.Equal(-1, files.AsSpan().IndexOf(Encoding.UTF8.GetBytes("127.0.0.1")));

        Assert.True(await Store.HttpClients.DeleteAsync("api", None));
        Assert.False(await Store.HttpClients.DeleteAsync("api", None));
        Assert.Equal(["other"], (await Store.HttpClients.ListAsync(None)).Select(c => c.Uid));
    }

    [Fact]
    public async Task Http_clients_sealed_with_another_key_are_a_clear_error()
    {
        await Store.HttpClients.UpsertAsync("api", "{}", None);
        var otherKey = Convert.ToBase64String(new byte[32]);
        await using var other = await OpenAsync(Options with { EncryptionKey = otherKey });
        var error = await Assert.ThrowsAsync<StorageException>(() => other.HttpClients.ListAsync(None));
        Assert.Contains("THAIYYAL_ENCRYPTION_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("'api'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflow_larger_than_its_budget_is_refused_and_not_stored()
    {
        await using var store = await OpenAsync(Options with { MaxWorkflowBytes = 100 });
        var error = await Assert.ThrowsAsync<StorageLimitException>(() =>
            store.Workflows.SaveAsync("big", "Big", null, "{\"pad\":\"" + new string('x', 200) + "\"}", None));
        Assert.Equal(StorageLimit.WorkflowTooLarge, error.Limit);
        Assert.Contains("100-byte limit", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.Workflows.GetAsync("big", None));
    }

    [Fact]
    public async Task Saves_past_the_total_budget_are_refused_until_space_is_freed()
    {
        await using var store = await OpenAsync(Options with { MaxTotalWorkflowBytes = 250 });
        var payload = "{\"pad\":\"" + new string('x', 90) + "\"}"; // 100 bytes
        await store.Workflows.SaveAsync("a", "A", null, payload, None);
        await store.Workflows.SaveAsync("a", "A", null, payload, None);
        var error = await Assert.ThrowsAsync<StorageLimitException>(() => store.Workflows.SaveAsync("b", "B", null, payload, None));
        Assert.Equal(StorageLimit.StoreFull, error.Limit);
        Assert.Contains("200 of 250 bytes", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.Workflows.GetAsync("b", None));

        await store.Workflows.DeleteAsync("a", None);
        Assert.Equal(1, (await store.Workflows.SaveAsync("b", "B", null, payload, None)).Version);
    }

    [Fact]
    public async Task The_workflow_count_is_bounded_but_new_versions_of_existing_ones_are_not()
    {
        await using var store = await OpenAsync(Options with { MaxWorkflows = 2 });
        await store.Workflows.SaveAsync("a", "A", null, "{}", None);
        await store.Workflows.SaveAsync("b", "B", null, "{}", None);
        var error = await Assert.ThrowsAsync<StorageLimitException>(() => store.Workflows.SaveAsync("c", "C", null, "{}", None));
        Assert.Equal(StorageLimit.StoreFull, error.Limit);
        Assert.Equal(2, (await store.Workflows.SaveAsync("a", "A", null, "{}", None)).Version);
    }

    [Fact]
    public async Task Concurrent_saves_of_new_workflows_never_overshoot_the_count()
    {
        await using var store = await OpenAsync(Options with { MaxWorkflows = 5 });
        var saves = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.Workflows.SaveAsync($"w{i}", "W", null, "{}", None);
                return true;
            }
            catch (StorageLimitException)
            {
                return false;
            }
        })));
        Assert.Equal(5, saves.Count(saved => saved));
        Assert.Equal(5, await store.Workflows.CountAsync(None));
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused_with_a_clear_message()
    {
        await ExecuteRawAsync(Options,
            """INSERT INTO "VersionInfo" ("Version", "AppliedOn", "Description") VALUES (999999, CURRENT_TIMESTAMP, 'from the future')""");
        var error = await Assert.ThrowsAsync<StorageException>(() => StoreFactory.OpenAsync(Options));
        Assert.Contains("version 999999, newer than this build knows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_again_keeps_the_data_and_applies_nothing_twice()
    {
        await Store.Workflows.SaveAsync("kept", "Kept", null, "{}", None);
        await Store.DisposeAsync();
        await using var again = await OpenAsync(Options);
        await using var third = await OpenAsync(Options);
        Assert.Equal("Kept", (await third.Workflows.GetAsync("kept", None))!.Name);
        Assert.Equal(MigrationCount, await ScalarAsync(Options, """SELECT COUNT(*) FROM "VersionInfo" """));
        Assert.Equal(SchemaMigrator.LatestKnownVersion, await ScalarAsync(Options, """SELECT MAX("Version") FROM "VersionInfo" """));
    }

    private static readonly long MigrationCount = typeof(SchemaMigrator).Assembly.GetTypes()
        .Count(t => t.GetCustomAttributes(typeof(FluentMigrator.MigrationAttribute), false).Length > 0);

    [Fact]
    public async Task Concurrent_opens_of_a_new_database_all_succeed()
    {
        var fresh = (await CreateDatabaseAsync()) with { EncryptionKey = TestKey };
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenAsync(fresh))));
        await stores[0].Workflows.SaveAsync("x", "X", null, "{}", None);
        foreach (var store in stores) Assert.Equal("X", (await store.Workflows.GetAsync("x", None))!.Name);
    }

    [Fact]
    public async Task Health_is_reported_healthy_on_a_working_store()
    {
        Assert.Equal(new StoreHealth(true, null), await Store.CheckHealthAsync(None));
    }
}
