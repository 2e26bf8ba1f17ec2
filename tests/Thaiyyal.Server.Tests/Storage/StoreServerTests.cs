using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Storage;

/// <summary>The server on its SQLite store: versions, budgets, restarts, refusal to start.</summary>
public sealed class StoreServerTests : IDisposable
{
    // Not under RunningServer.TemporaryDataRoot: this directory must outlive each server (restarts).
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "thaiyyal-store-tests", Guid.NewGuid().ToString("N"));

    private static string Save(string name, string data, string? id = null) =>
        new JsonObject { ["name"] = name, ["data"] = JsonNode.Parse(data), ["id"] = id }.ToJsonString();

    private const string Seven = """{"nodes":[{"id":"n","type":"number","data":{"value":7}}],"edges":[]}""";

    [Fact]
    public async Task Execution_ids_grow_with_each_run_and_a_restarted_server_makes_ids_with_another_generator_number()
    {
        string[] flags = ["-rate-limit", "0", "-read-rate-limit", "0", "-data-dir", _dataDirectory];
        async Task<string> RunAsync(RunningServer server, string mode)
        {
            var (_, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute" + mode, Payloads.Addition);
            return (body!["results"]?["execution_id"] ?? body["execution_id"])!.GetValue<string>();
        }
        var ids = new List<string>();
        await using (var server = await RunningServer.StartAsync(flags))
        {
            ids.Add(await RunAsync(server, ""));
            ids.Add(await RunAsync(server, "?mode=async"));
            ids.Add(await RunAsync(server, ""));
        }
        await using (var restarted = await RunningServer.StartAsync(flags))
            ids.Add(await RunAsync(restarted, ""));

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{16}$", id));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        // Bits 12–22 hold the number the store gave the server's start.
        var generators = ids.Select(id => (Convert.ToUInt64(id, 16) >> 12) & 2047).ToList();
        Assert.Equal([generators[0], generators[0], generators[0]], generators[..3]);
        Assert.NotEqual(generators[0], generators[3]);
    }

    [Fact]
    public async Task Every_save_is_a_version_that_can_be_listed_loaded_and_run()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0", "-read-rate-limit", "0");
        var (status, first) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save("Sum", Payloads.Addition));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, first!["version"]!.GetValue<int>());
        var id = first["id"]!.GetValue<string>();
        var (_, second) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save("Seven", Seven, id));
        Assert.Equal((id, 2), (second!["id"]!.GetValue<string>(), second["version"]!.GetValue<int>()));

        var (_, versions) = await server.GetJsonAsync($"/api/v1/workflows/{id}/versions");
        Assert.Equal([2, 1], versions!["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal(["Seven", "Sum"], versions["versions"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
        var (_, old) = await server.GetJsonAsync($"/api/v1/workflows/{id}/versions/1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Payloads.Addition), old!["workflow"]!["data"]));
        var (_, latest) = await server.GetJsonAsync($"/api/v1/workflow/load/{id}");
        Assert.Equal(2, latest!["workflow"]!["version"]!.GetValue<int>());

        var (runLatestStatus, runLatest) = await server.PostJsonForBodyAsync($"/api/v1/workflow/execute/{id}", "");
        Assert.Equal(HttpStatusCode.OK, runLatestStatus);
        Assert.Equal(7, runLatest!["results"]!["final_output"]!.GetValue<int>());
        Assert.Equal(2, runLatest["workflow_version"]!.GetValue<int>());
        var (_, runOld) = await server.PostJsonForBodyAsync($"/api/v1/workflow/execute/{id}?version=1", "");
        Assert.Equal(15, runOld!["results"]!["final_output"]!.GetValue<int>());
        Assert.Equal(1, runOld["workflow_version"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NotFound, (await server.PostJsonForBodyAsync($"/api/v1/workflow/execute/{id}?version=3", "")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.PostJsonForBodyAsync($"/api/v1/workflow/execute/{id}?version=x", "")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetJsonAsync($"/api/v1/workflows/{id}/versions/9")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetJsonAsync("/api/v1/workflows/unknown/versions")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save("X", Seven, "unknown"))).Status);

        var openApi = await server.Client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/workflows/{id}/versions/{version}", openApi, StringComparison.Ordinal);
        Assert.Contains("/api/v1/workflows/{id}/versions\"", openApi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflow_over_its_byte_budget_is_413_and_a_full_store_is_507()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0", "-max-workflow-bytes", "300", "-max-store-bytes", "600");
        var big = """{"workflow_id":"PAD","nodes":[{"id":"n","type":"number","data":{"value":1}}],"edges":[]}""".Replace("PAD", new string('x', 400), StringComparison.Ordinal);
        var (tooLarge, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save("Big", big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge);
        Assert.Contains("larger than the 300-byte limit for one workflow", body!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        var responses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) responses.Add((await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save($"w{i}", Payloads.Addition))).Status);
        Assert.Equal(HttpStatusCode.Created, responses[0]);
        Assert.Equal(HttpStatusCode.InsufficientStorage, responses[^1]);
        var (_, full) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save("more", Payloads.Addition));
        Assert.Contains("the store is full", full!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workflows_and_clients_survive_a_restart_and_the_secret_still_works_without_being_readable_on_disk()
    {
        const string token = "tok-9c1e5b7f-restart-secret";
        using var target = new LoopbackTarget();
        string[] flags = ["-rate-limit", "0", "-read-rate-limit", "0", "-data-dir", _dataDirectory, "-http-allow-localhost", "-http-allowed-ports="];
        var client = new JsonObject
        {
            ["config"] = new JsonObject
            {
                ["uid"] = "target",
                ["base_url"] = target.BaseUrl,
                ["auth"] = new JsonObject { ["type"] = "bearer", ["token"] = new JsonObject { ["token"] = token } },
                ["security"] = new JsonObject { ["allow_localhost"] = true },
            },
        }.ToJsonString();
        var calls = """{"nodes":[{"id":"call","type":"http","data":{"url":"/hello","http_client_uid":"target"}}],"edges":[]}""";
        string id;
        await using (var first = await RunningServer.StartAsync(flags))
        {
            Assert.Equal(HttpStatusCode.Created, (await first.PostJsonForBodyAsync("/api/v1/httpclient/register", client)).Status);
            var (_, saved) = await first.PostJsonForBodyAsync("/api/v1/workflow/save", Save("Calls", calls));
            id = saved!["id"]!.GetValue<string>();
        }

        var files = Directory.GetFiles(_dataDirectory, "thaiyyal.db*").SelectMany(File.ReadAllBytes).ToArray();
        Assert.NotEmpty(files);
        Assert.Equal(-1, files.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)));

        await using var second = await RunningServer.StartAsync(flags);
        var (_, list) = await second.GetJsonAsync("/api/v1/workflow/list");
        Assert.Equal([id], list!["workflows"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()));
        var (_, clients) = await second.GetJsonAsync("/api/v1/httpclient/list");
        Assert.Equal(["target"], clients!["clients"]!.AsArray().Select(c => c!.GetValue<string>()));
        var (runStatus, run) = await second.PostJsonForBodyAsync($"/api/v1/workflow/execute/{id}", "");
        Assert.Equal(HttpStatusCode.OK, runStatus);
        Assert.True(run!["results"]!["final_output"]!["ok"]!.GetValue<bool>());
        Assert.Equal(["Bearer " + token], target.Authorizations);
    }

    [Fact]
    public async Task Replaced_and_deleted_clients_stay_so_after_a_restart()
    {
        string[] flags = ["-read-rate-limit", "0", "-data-dir", _dataDirectory];
        await using (var first = await RunningServer.StartAsync(flags))
        {
            await first.PostJsonForBodyAsync("/api/v1/httpclient/register", """{"config":{"uid":"a","base_url":"https://a.example"}}""");
            await first.PostJsonForBodyAsync("/api/v1/httpclient/register", """{"config":{"uid":"b","base_url":"https://b.example"}}""");
            using var replaced = await first.Client.PutAsync("/api/v1/httpclient/a",
                new StringContent("""{"config":{"base_url":"https://a2.example"}}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            using var deleted = await first.Client.DeleteAsync("/api/v1/httpclient/b");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }
        await using var second = await RunningServer.StartAsync(flags);
        var (_, clients) = await second.GetJsonAsync("/api/v1/httpclient/list");
        Assert.Equal(["a"], clients!["clients"]!.AsArray().Select(c => c!.GetValue<string>()));
        var registry = second.App.Services.GetService(typeof(Thaiyyal.Engine.Http.OutboundHttp)) as Thaiyyal.Engine.Http.OutboundHttp;
        Assert.True(registry!.Clients.TryGet("a", out var a));
        Assert.Equal("https://a2.example", a.Config.BaseUrl);
    }

    [Fact]
    public async Task The_server_refuses_to_start_when_the_data_directory_cannot_be_created()
    {
        Directory.CreateDirectory(_dataDirectory);
        var blocker = Path.Combine(_dataDirectory, "file");
        await File.WriteAllTextAsync(blocker, "x");
        await using var server = ServerProcess.Start(["-addr", "127.0.0.1:0", "-data-dir", Path.Combine(blocker, "data")]);
        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("cannot open the store: cannot create the data directory", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_refuses_to_start_on_a_schema_newer_than_it_knows()
    {
        await using (await RunningServer.StartAsync("-data-dir", _dataDirectory)) { }
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, "thaiyyal.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand(
                """INSERT INTO "VersionInfo" ("Version", "AppliedOn", "Description") VALUES (424242, CURRENT_TIMESTAMP, 'future')""", connection);
            await command.ExecuteNonQueryAsync();
        }
        await using var server = ServerProcess.Start(["-addr", "127.0.0.1:0", "-data-dir", _dataDirectory]);
        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("version 424242, newer than this build knows", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_removes_finished_executions_past_the_age_and_beyond_the_count()
    {
        await using var server = await RunningServer.StartAsync("-history-retention", "1h", "-history-max-executions", "3");
        var store = (Thaiyyal.Storage.IThaiyyalStore)server.App.Services.GetService(typeof(Thaiyyal.Storage.IThaiyyalStore))!;
        var now = DateTimeOffset.UtcNow;
        Thaiyyal.Storage.ExecutionRecord Execution(string id, TimeSpan age, Thaiyyal.Storage.ExecutionStatus status) => new()
        {
            Id = id, PayloadHash = new string('0', 64), Mode = "sync", Source = "api", Status = status, CreatedAt = now - age,
        };
        await store.Executions.InsertAsync(Execution("old-1", TimeSpan.FromHours(3), Thaiyyal.Storage.ExecutionStatus.Succeeded), default);
        await store.Executions.InsertAsync(Execution("old-2", TimeSpan.FromHours(2), Thaiyyal.Storage.ExecutionStatus.Failed), default);
        await store.Executions.InsertAsync(Execution("old-running", TimeSpan.FromHours(2), Thaiyyal.Storage.ExecutionStatus.Running), default);
        for (var i = 1; i <= 4; i++)
            await store.Executions.InsertAsync(Execution($"recent-{i}", TimeSpan.FromMinutes(i), Thaiyyal.Storage.ExecutionStatus.Succeeded), default);

        var retention = (Thaiyyal.Server.Storage.HistoryRetention)server.App.Services.GetService(typeof(Thaiyyal.Server.Storage.HistoryRetention))!;
        await retention.RunOnceAsync(default);

        var left = await store.Executions.ListAsync(new Thaiyyal.Storage.ExecutionQuery(), default);
        Assert.Equal(["recent-1", "recent-2", "recent-3", "old-running"], left.Items.Select(e => e.Id));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}
