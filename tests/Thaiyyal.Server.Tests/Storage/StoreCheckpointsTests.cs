using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Thaiyyal.Server.Storage;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Storage;

namespace Thaiyyal.Server.Tests.Storage;

/// <summary>The server checkpoints its SQLite store's log in the background, and says so once when it cannot.</summary>
public sealed class StoreCheckpointsTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "thaiyyal-checkpoint-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task What_a_running_server_saved_reaches_the_database_file_itself_without_a_restart()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0", "-read-rate-limit", "0", "-data-dir", _dataDirectory);
        var save = new JsonObject { ["name"] = "Checkpointed", ["data"] = JsonNode.Parse(Payloads.Addition) }.ToJsonString();
        var (status, saved) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", save);
        Assert.Equal(HttpStatusCode.Created, status);
        var id = saved!["id"]!.GetValue<string>();

        // Without a checkpoint the workflow would stay in the write-ahead log (a commit copies it only at 10,000 pages).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await CountInDatabaseFileAloneAsync(id) != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the saved workflow never reached the database file");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_failing_checkpoint_is_logged_once_per_streak_and_its_recovery_once()
    {
        await using var store = new FailingCheckpoints(await TestStores.Open());
        var log = new Lines();
        var checkpoints = new StoreCheckpoints(store, TimeProvider.System, log);

        Assert.True(await checkpoints.RunOnceAsync(CancellationToken.None));
        store.Failure = "disk I/O error";
        Assert.False(await checkpoints.RunOnceAsync(CancellationToken.None));
        Assert.False(await checkpoints.RunOnceAsync(CancellationToken.None));
        store.Failure = null;
        Assert.True(await checkpoints.RunOnceAsync(CancellationToken.None));
        Assert.True(await checkpoints.RunOnceAsync(CancellationToken.None));

        Assert.Equal(
            [
                (LogLevel.Warning, "store checkpoint failed; retrying", "disk I/O error"),
                (LogLevel.Information, "store checkpoints work again", null),
            ],
            log.Written);
    }

    /// <summary>The count of workflows with this id in a copy of the database file made without its log; 0 while it cannot be read.</summary>
    private async Task<long> CountInDatabaseFileAloneAsync(string id)
    {
        var copy = Path.Combine(_dataDirectory, "copy-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            await using (var source = new FileStream(Path.Combine(_dataDirectory, "thaiyyal.db"), FileMode.Open, FileAccess.Read,
                             FileShare.ReadWrite | FileShare.Delete))
            await using (var target = File.Create(copy))
                await source.CopyToAsync(target);
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var command = new SqliteCommand("SELECT COUNT(*) FROM workflows WHERE id = $id", connection);
            command.Parameters.AddWithValue("$id", id);
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (SqliteException)
        {
            // Copied before the schema reached the file, or while a checkpoint was writing it.
            return 0;
        }
        finally
        {
            File.Delete(copy);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private sealed class FailingCheckpoints(IThaiyyalStore inner) : IThaiyyalStore
    {
        public string? Failure { get; set; }

        public string Provider => inner.Provider;

        public IWorkflowRepository Workflows => inner.Workflows;

        public IHttpClientRepository HttpClients => inner.HttpClients;

        public IExecutionRepository Executions => inner.Executions;

        public Task CheckpointAsync(CancellationToken cancellationToken) =>
            Failure is { } failure ? throw new StorageException(failure) : inner.CheckpointAsync(cancellationToken);

        public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>Each line written, as its level, its message and its error field.</summary>
    private sealed class Lines : ILogger<StoreCheckpoints>
    {
        public List<(LogLevel, string, object?)> Written { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Written.Add((logLevel, formatter(state, exception),
                (state as IEnumerable<KeyValuePair<string, object?>>)?.FirstOrDefault(f => f.Key == "error").Value));
    }
}
