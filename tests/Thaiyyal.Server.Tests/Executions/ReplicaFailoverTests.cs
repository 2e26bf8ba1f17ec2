using System.Net;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Storage;
using Thaiyyal.TestSupport;
using static Thaiyyal.Server.Tests.Support.ExecutionClient;

namespace Thaiyyal.Server.Tests.Executions;

/// <summary>
/// Replicas on one PostgreSQL database when one is lost or stops: <c>"on_interrupt": "restart"</c> runs go back on
/// the queue, graceful shutdown hands them back; roles; deleting a run another replica executes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaFailoverTests(PostgresCluster cluster)
{
    /// <summary><see cref="DelayInTheMiddle"/> marked to be restarted when its replica is lost.</summary>
    public static string Restartable(string wait) => "{\"on_interrupt\":\"restart\"," + DelayInTheMiddle(wait).TrimStart()[1..];

    [Fact]
    public async Task A_restartable_run_whose_replica_was_lost_runs_again_on_another_replica_once()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using (var store = await StoreFactory.OpenAsync(new StoreOptions { DatabaseUrl = database, EncryptionKey = Replicas.Key }))
        {
            await store.Executions.InsertAsync(new ExecutionRecord
            {
                Id = "00000000000000aa", PayloadHash = new string('0', 64), PayloadJson = Restartable("5ms"), Mode = "async", Source = "api",
                Status = ExecutionStatus.Queued, CreatedAt = DateTimeOffset.UtcNow,
            }, CancellationToken.None);
            // A replica that claims the run, stores an event of it and is never heard of again.
            Assert.NotNull(await store.Executions.ClaimNextAsync("gone", TimeSpan.FromSeconds(1), CancellationToken.None));
            await store.Executions.AppendEventsAsync(
                [new ExecutionEventRecord("00000000000000aa", 1, "run.started", "{\"from\":\"gone\"}", DateTimeOffset.UtcNow)], CancellationToken.None);
        }
        await using var survivor = await Replicas.StartAsync(database, "survivor");

        var record = await WaitForFinishAsync(survivor, "00000000000000aa");
        Assert.Equal("succeeded", record["status"]!.GetValue<string>());
        Assert.Equal("survivor", record["replica"]!.GetValue<string>());
        Assert.Equal(1, record["restarts"]!.GetValue<int>());
        // One attempt's nodes and events: the lost attempt's were dropped when it went back on the queue.
        Assert.Equal(["after", "n", "wait"], record["nodes"]!.AsArray().Select(n => n!["node_id"]!.GetValue<string>()).Order());
        using var stream = await OpenEventsAsync(survivor, "00000000000000aa");
        var events = new List<Support.SseMessage>();
        await foreach (var e in ReadEventsAsync(stream)) events.Add(e);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long?)i), events.Select(e => e.Id));
        Assert.DoesNotContain(events, e => e.Data!.Contains("\"from\":\"gone\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Graceful_shutdown_hands_a_restartable_run_it_cannot_finish_back_to_the_queue_and_another_replica_runs_it()
    {
        var database = await cluster.CreateDatabaseAsync();
        var leaving = await Replicas.StartAsync(database, "leaving", "-shutdown-timeout", "1s");
        string restartable, plain;
        try
        {
            restartable = await SubmitAsync(leaving, Restartable("3s"));
            plain = await SubmitAsync(leaving, DelayInTheMiddle("1h"));
            await WaitForStatusAsync(leaving, restartable, "running");
            await WaitForStatusAsync(leaving, plain, "running");
        }
        finally
        {
            // Graceful stop: its one-second grace is too short for either run.
            await leaving.DisposeAsync();
        }
        await using var staying = await Replicas.StartAsync(database, "staying");

        var handedBack = await WaitForFinishAsync(staying, restartable);
        Assert.Equal("succeeded", handedBack["status"]!.GetValue<string>());
        Assert.Equal("staying", handedBack["replica"]!.GetValue<string>());
        Assert.Equal(1, handedBack["restarts"]!.GetValue<int>());
        var cut = await WaitForFinishAsync(staying, plain);
        Assert.Equal("interrupted", cut["status"]!.GetValue<string>());
        Assert.Equal("leaving", cut["replica"]!.GetValue<string>());
        Assert.Equal(0, cut["restarts"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_stopping_replica_claims_nothing_more_and_finishes_its_run_within_the_grace_period()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var api = await Replicas.StartAsync(database, "api-only", "-role", "api");
        var stopping = await Replicas.StartAsync(database, "stopping", "-workers", "2", "-shutdown-timeout", "30s");
        var held = await SubmitAsync(api, DelayInTheMiddle("4s"));
        await WaitForStatusAsync(api, held, "running");

        using var probe = new HttpClient { BaseAddress = stopping.BaseAddress };
        var stopped = stopping.DisposeAsync().AsTask();
        while (await ReadyAsync(probe)) await Task.Delay(20);
        // Queued while the stopping replica still has an idle worker and the run above in hand.
        var later = await SubmitAsync(api, DelayInTheMiddle("1ms"));
        await stopped;

        var finished = (await api.GetJsonAsync($"/api/v1/executions/{held}")).Body!;
        Assert.True(finished["status"]!.GetValue<string>() == "succeeded", "the held run ended " + finished.ToJsonString());
        Assert.Equal("stopping", finished["replica"]!.GetValue<string>());
        Assert.Equal("queued", (await api.GetJsonAsync($"/api/v1/executions/{later}")).Body!["status"]!.GetValue<string>());
        await using var worker = await Replicas.StartAsync(database, "worker-after", "-role", "worker");
        Assert.Equal("worker-after", (await WaitForFinishAsync(api, later))["replica"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_run_whose_row_another_replica_took_over_stops_here_and_stores_nothing()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var replica = await Replicas.StartAsync(database, "lapsed");
        var id = await SubmitAsync(replica, DelayInTheMiddle("1h"));
        await WaitForStatusAsync(replica, id, "running");
        using var stream = await OpenEventsAsync(replica, id);

        // What another replica does once this one's lease has lapsed: the row is no longer this replica's.
        await using (var connection = new Npgsql.NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "UPDATE executions SET status = 'interrupted', error_json = '{\"success\":false,\"error\":\"taken over\"}', " +
                "lease_expires_at = NULL WHERE id = @id", connection);
            command.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        // The live stream ends when the run stops here (within a heartbeat); it never reports an end of its own.
        var events = new List<Support.SseMessage>();
        await foreach (var e in ReadEventsAsync(stream)) events.Add(e);
        Assert.DoesNotContain(events, e => e.Type is "run.completed" or "run.failed");
        var record = (await replica.GetJsonAsync($"/api/v1/executions/{id}")).Body!;
        Assert.Equal(("interrupted", "taken over"), (record["status"]!.GetValue<string>(), record["error"]!["error"]!.GetValue<string>()));
    }

    /// <summary>False once readiness fails or nothing listens any more.</summary>
    private static async Task<bool> ReadyAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync("/health/ready");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_worker_replica_answers_health_and_metrics_only()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var worker = await Replicas.StartAsync(database, "worker-only", "-role", "worker");

        foreach (var path in (string[])["/api/v1/workflows", "/api/v1/executions", "/api/v1/nodes", "/", "/openapi/v1.json"])
        {
            using var response = await worker.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(ServerApplication.WorkerServesNoApi, body["error"]!.GetValue<string>());
            Assert.Contains("-role worker", body["details"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        using var execute = await worker.PostJsonAsync("/api/v1/workflow/execute?mode=async", DelayInTheMiddle("1ms"));
        Assert.Equal(HttpStatusCode.NotFound, execute.StatusCode);
        using var ready = await worker.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var metrics = await worker.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("workflow_queue_depth", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_replica_queues_runs_and_leaves_them_all_to_the_worker_replica()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var api = await Replicas.StartAsync(database, "api-only", "-role", "api");
        var ids = new List<string>();
        for (var i = 0; i < 6; i++) ids.Add(await SubmitAsync(api, DelayInTheMiddle("1ms")));
        // Nothing claims them while only the API replica is up.
        foreach (var id in ids) Assert.Equal("queued", (await api.GetJsonAsync($"/api/v1/executions/{id}")).Body!["status"]!.GetValue<string>());

        await using var worker = await Replicas.StartAsync(database, "worker-only", "-role", "worker", "-workers", "2");
        foreach (var id in ids)
        {
            var record = await WaitForFinishAsync(api, id);
            Assert.Equal("succeeded", record["status"]!.GetValue<string>());
            Assert.Equal("worker-only", record["replica"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Deleting_a_run_that_another_replica_executes_is_refused_until_it_is_cancelled()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var api = await Replicas.StartAsync(database, "api-only", "-role", "api");
        await using var worker = await Replicas.StartAsync(database, "worker-only", "-role", "worker");
        var id = await SubmitAsync(api, DelayInTheMiddle("1h"));
        await WaitForStatusAsync(api, id, "running");

        using var refused = await api.Client.DeleteAsync($"/api/v1/executions/{id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Contains("worker-only", body["details"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("running", (await api.GetJsonAsync($"/api/v1/executions/{id}")).Body!["status"]!.GetValue<string>());

        var (cancelled, _) = await api.PostJsonForBodyAsync($"/api/v1/executions/{id}/cancel", "");
        Assert.Equal(HttpStatusCode.OK, cancelled);
        using var deleted = await api.Client.DeleteAsync($"/api/v1/executions/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetJsonAsync($"/api/v1/executions/{id}")).Status);
    }

    [Fact]
    public async Task On_interrupt_takes_interrupted_or_restart_and_any_other_value_is_a_400_naming_the_field()
    {
        await using var server = await RunningServer.StartAsync();
        var saved = await server.PostJsonForBodyAsync("/api/v1/workflow/save",
            new JsonObject { ["name"] = "restarts", ["data"] = JsonNode.Parse(Restartable("1ms")) }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, saved.Status);
        var (status, run) = await server.PostJsonForBodyAsync($"/api/v1/workflow/execute/{saved.Body!["id"]!.GetValue<string>()}", "");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(run!["success"]!.GetValue<bool>(), run.ToJsonString());

        var wrong = Restartable("1ms").Replace("\"restart\"", "\"sometimes\"", StringComparison.Ordinal);
        var (saveStatus, saveError) = await server.PostJsonForBodyAsync("/api/v1/workflow/save",
            new JsonObject { ["name"] = "wrong", ["data"] = JsonNode.Parse(wrong) }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, saveStatus);
        Assert.Contains("on_interrupt: must be \"interrupted\" (the default) or \"restart\", not \"sometimes\"", saveError!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        using var asyncRun = await server.PostJsonAsync("/api/v1/workflow/execute?mode=async", wrong.Replace("\"sometimes\"", "3", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, asyncRun.StatusCode);
        Assert.Contains("on_interrupt: must be", await asyncRun.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
