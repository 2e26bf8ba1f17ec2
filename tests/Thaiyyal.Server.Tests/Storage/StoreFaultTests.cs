using System.Net;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Storage;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.TestSupport;

namespace Thaiyyal.Server.Tests.Storage;

/// <summary>
/// The server on a real PostgreSQL that goes away and comes back: runs go on, saves answer 503, health says why,
/// errors are counted, and the store reconnects by itself.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreFaultTests(PostgresCluster cluster)
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    /// <summary>A server on <paramref name="database"/> (a PostgreSQL URL) with the test's encryption key and <paramref name="flags"/>.</summary>
    private static Task<RunningServer> StartOnAsync(string database, params string[] flags) =>
        RunningServer.StartAsync(RunningServer.Settings(
            new Dictionary<string, string> { ["DATABASE_URL"] = database, ["THAIYYAL_ENCRYPTION_KEY"] = Key }, flags));

    /// <summary>The body of a save: the addition, named Sum.</summary>
    private static readonly string Save = new JsonObject { ["name"] = "Sum", ["data"] = JsonNode.Parse(Payloads.Addition) }.ToJsonString();

    /// <summary>A server on a new database of the cluster, without limits per client, that has saved <see cref="Save"/> once.</summary>
    private async Task<RunningServer> StartWithASaveAsync()
    {
        var server = await StartOnAsync(await cluster.CreateDatabaseAsync(), "-rate-limit", "0", "-read-rate-limit", "0");
        try
        {
            Assert.Equal(HttpStatusCode.Created, (await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save)).Status);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task With_PostgreSQL_down_runs_go_on_saves_are_503_health_is_degraded_and_it_recovers()
    {
        await using var server = await StartWithASaveAsync();
        var (_, healthyBody) = await server.GetJsonAsync("/health");
        Assert.Equal("healthy", healthyBody!["checks"]!["store"]!["status"]!.GetValue<string>());
        var errorsBefore = StorageMetrics.ErrorCount("workflow.save");

        await cluster.StopAsync();
        string outageRun;
        try
        {
            var (runStatus, run) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Addition);
            Assert.Equal(HttpStatusCode.OK, runStatus);
            Assert.Equal(15, run!["results"]!["final_output"]!.GetValue<int>());
            outageRun = run["results"]!["execution_id"]!.GetValue<string>();

            var (saveStatus, saveBody) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, saveStatus);
            Assert.Equal("Failed to save workflow: the store is unavailable", saveBody!["error"]!.GetValue<string>());
            Assert.Contains("postgres", saveBody["details"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(StorageMetrics.ErrorCount("workflow.save") > errorsBefore);

            using var health = await server.Client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            var body = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
            Assert.Equal("degraded", body["status"]!.GetValue<string>());
            Assert.Equal("degraded", body["checks"]!["store"]!["status"]!.GetValue<string>());
            Assert.Contains("storage unavailable (postgres, health)", body["checks"]!["store"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);

            // A client that cannot be stored is not registered either.
            var (registerStatus, registerBody) = await server.PostJsonForBodyAsync("/api/v1/httpclient/register",
                """{"config":{"uid":"during-outage","base_url":"https://example.com"}}""");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, registerStatus);
            Assert.Equal("Failed to register HTTP client: the store is unavailable", registerBody!["error"]!.GetValue<string>());
            var (_, clients) = await server.GetJsonAsync("/api/v1/httpclient/list");
            Assert.Equal(0, clients!["count"]!.GetValue<int>());
        }
        finally
        {
            await cluster.StartAsync();
        }

        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save)).Status);
        var (_, list) = await server.GetJsonAsync("/api/v1/workflow/list");
        Assert.Equal(2, list!["count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonForBodyAsync("/api/v1/httpclient/register",
            """{"config":{"uid":"after-outage","base_url":"https://example.com"}}""")).Status);
        var (_, recovered) = await server.GetJsonAsync("/health");
        Assert.Equal("healthy", recovered!["checks"]!["store"]!["status"]!.GetValue<string>());
        // The history writer kept the record of the run answered during the outage and stored it afterwards.
        Assert.Equal("succeeded", (await ExecutionClient.WaitForFinishAsync(server, outageRun))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_api_role_replica_is_not_ready_while_its_database_is_down_and_is_again_after()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var api = await StartOnAsync(database, "-role", "api");
        await using var all = await StartOnAsync(database);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/ready")).StatusCode);

        await cluster.StopAsync();
        try
        {
            using var ready = await api.Client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
            Assert.Contains("storage unavailable", body["checks"]!["database"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
            // A replica that also runs workers keeps serving synchronous runs, so it stays in its Service.
            Assert.Equal(HttpStatusCode.OK, (await all.Client.GetAsync("/health/ready")).StatusCode);
        }
        finally
        {
            await cluster.StartAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task With_PostgreSQL_frozen_health_still_answers_and_says_the_store_check_timed_out()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var server = await StartOnAsync(database, "-rate-limit", "0", "-read-rate-limit", "0");
        await using (await cluster.FreezeAsync())
        {
            // The database takes connections but never answers; /health used to wait for it for over a minute.
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var health = await server.Client.GetAsync("/health", guard.Token);

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            var store = JsonNode.Parse(await health.Content.ReadAsStringAsync(guard.Token))!["checks"]!["store"]!;
            Assert.Equal("degraded", store["status"]!.GetValue<string>());
            Assert.Equal("health check timed out after 5s", store["error"]!.GetValue<string>());
            // Synchronous runs do not need the database.
            Assert.Equal(HttpStatusCode.OK, (await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Addition)).Status);
        }
        var (_, recovered) = await server.GetJsonAsync("/health");
        Assert.Equal("healthy", recovered!["checks"]!["store"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_PostgreSQL_frozen_a_save_answers_503_within_the_stores_timeouts()
    {
        await using var server = await StartWithASaveAsync();
        await using (await cluster.FreezeAsync())
        {
            // The database takes connections but never answers: the save gives up after the command timeout (10 s by
            // default), not after the request's own 30 s, and says the store is unavailable.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Failed to save workflow: the store is unavailable", body!["error"]!.GetValue<string>());
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(25));
        }
        Assert.Equal(HttpStatusCode.Created, (await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save)).Status);
    }

    [Fact]
    public async Task The_storage_error_counter_is_exported_from_the_start()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var server = await StartOnAsync(database);
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Contains("storage_errors_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("operation=\"workflow.save\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_refuses_to_start_when_PostgreSQL_cannot_be_reached()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var server = ServerProcess.Start(["-addr", "127.0.0.1:0"], new Dictionary<string, string>
        {
            ["DATABASE_URL"] = $"postgres://postgres@127.0.0.1:{port}/none",
            ["THAIYYAL_ENCRYPTION_KEY"] = Key,
        });
        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"cannot open the store: cannot open the postgres store at 127.0.0.1:{port}/none", server.Stderr, StringComparison.Ordinal);
    }
}
