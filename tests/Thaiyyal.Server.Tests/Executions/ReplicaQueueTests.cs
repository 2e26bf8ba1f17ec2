using System.Net;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Storage;
using Thaiyyal.TestSupport;
using static Thaiyyal.Server.Tests.Support.ExecutionClient;

namespace Thaiyyal.Server.Tests.Executions;

/// <summary>Two servers on one PostgreSQL database share the run queue, stored workflows, event streams and cancels.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaQueueTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Runs_submitted_to_either_replica_run_once_each_and_both_replicas_take_some()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var a = await Replicas.StartAsync(database, "replica-a", "-workers", "2");
        await using var b = await Replicas.StartAsync(database, "replica-b", "-workers", "2");
        var ids = new List<string>();
        for (var i = 0; i < 24; i++) ids.Add(await SubmitAsync(i % 2 == 0 ? a : b, DelayInTheMiddle("20ms")));

        var records = new List<JsonNode>();
        // Each record is read through the replica it was not submitted to.
        for (var i = 0; i < ids.Count; i++) records.Add(await WaitForFinishAsync(i % 2 == 0 ? b : a, ids[i]));

        Assert.All(records, r => Assert.Equal("succeeded", r["status"]!.GetValue<string>()));
        // Run twice, a record would hold its nodes twice.
        Assert.All(records, r => Assert.Equal(r["nodes"]!.AsArray().Count, r["nodes"]!.AsArray().Select(n => n!["node_id"]!.GetValue<string>()).Distinct().Count()));
        var byReplica = records.GroupBy(r => r["replica"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["replica-a", "replica-b"], byReplica.Keys.Order());
    }

    [Fact]
    public async Task A_workflow_saved_through_one_replica_runs_through_the_other()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var a = await Replicas.StartAsync(database, "replica-a");
        await using var b = await Replicas.StartAsync(database, "replica-b");
        var (_, saved) = await a.PostJsonForBodyAsync("/api/v1/workflow/save",
            new JsonObject { ["name"] = "adds", ["data"] = JsonNode.Parse(Payloads.Addition) }.ToJsonString());
        var workflowId = saved!["id"]!.GetValue<string>();

        var (status, run) = await b.PostJsonForBodyAsync($"/api/v1/workflow/execute/{workflowId}", "");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(15, run!["results"]!["final_output"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_api_replica_streams_and_cancels_a_run_that_the_worker_replica_executes()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var api = await Replicas.StartAsync(database, "api-only", "-role", "api");
        await using var worker = await Replicas.StartAsync(database, "worker-only", "-role", "worker");
        var id = await SubmitAsync(api, DelayInTheMiddle("1h"));

        using var stream = await OpenEventsAsync(api, id);
        await foreach (var e in ReadEventsAsync(stream))
        {
            if (e.Type == "node.started" && e.Json!["node_id"]!.GetValue<string>() == "wait") break;   // inside its one-hour wait
        }
        var (_, running) = await api.GetJsonAsync($"/api/v1/executions/{id}");
        Assert.Equal("running", running!["status"]!.GetValue<string>());
        Assert.Equal("worker-only", running["replica"]!.GetValue<string>());

        var (status, body) = await api.PostJsonForBodyAsync($"/api/v1/executions/{id}/cancel", "");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cancelled", body!["status"]!.GetValue<string>());
        // The worker replica serves no API: the record is read through the API replica.
        var record = await WaitForFinishAsync(api, id);
        Assert.Equal("cancelled", record["status"]!.GetValue<string>());
        Assert.Equal("worker-only", record["replica"]!.GetValue<string>());
        Assert.Equal("unfinished", record["nodes"]!.AsArray().Single(n => n!["node_id"]!.GetValue<string>() == "wait")!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_run_whose_replica_stopped_renewing_its_lease_is_marked_interrupted_by_another()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using (var store = await StoreFactory.OpenAsync(new StoreOptions { DatabaseUrl = database, EncryptionKey = Replicas.Key }))
        {
            await store.Executions.InsertAsync(new ExecutionRecord
            {
                Id = "0123456789abcdef", PayloadHash = new string('0', 64), PayloadJson = Payloads.Addition, Mode = "async", Source = "api",
                Status = ExecutionStatus.Queued, CreatedAt = DateTimeOffset.UtcNow,
            }, CancellationToken.None);
            // A replica that claims the run and is never heard of again.
            Assert.NotNull(await store.Executions.ClaimNextAsync("gone", TimeSpan.FromSeconds(1), CancellationToken.None));
        }
        await using var survivor = await Replicas.StartAsync(database, "survivor");

        var record = await WaitForFinishAsync(survivor, "0123456789abcdef");
        Assert.Equal("interrupted", record["status"]!.GetValue<string>());
        Assert.Equal("gone", record["replica"]!.GetValue<string>());
        Assert.Contains("lease ran out", record["error"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
