using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.TestSupport;
using static Thaiyyal.Server.Tests.Support.ExecutionClient;

namespace Thaiyyal.Server.Tests.Executions;

/// <summary>
/// The replica issue's acceptance check: three real server processes (the built binary) on one real PostgreSQL.
/// Runs submitted round-robin complete exactly once and spread over all three; a workflow saved through one replica
/// runs through another; a stream opened on one replica follows a run executing on another, and a cancel through a
/// third stops it; a replica killed with SIGKILL loses its runs to the lease timeout (interrupted, or run again once
/// when their workflow says <c>"on_interrupt": "restart"</c>) while the other two carry on.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterAcceptanceTests(PostgresCluster cluster)
{
    private const int Workers = 2;
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    [Fact]
    public async Task Three_server_processes_share_one_queue_and_survive_the_loss_of_one()
    {
        var database = await cluster.CreateDatabaseAsync();
        var starting = Enumerable.Range(1, 3).Select(i => Replica.StartAsync(database, $"replica-{i}")).ToList();
        await using var r1 = await starting[0];
        await using var r2 = await starting[1];
        await using var r3 = await starting[2];
        Replica[] replicas = [r1, r2, r3];

        // 300 runs submitted round-robin (a few submitters at once), each read back through the next replica.
        var ids = new string[300];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Length), new ParallelOptions { MaxDegreeOfParallelism = 6 },
            async (i, _) => ids[i] = await replicas[i % 3].SubmitAsync(DelayInTheMiddle("1ms")));
        var records = new List<JsonNode>();
        for (var i = 0; i < ids.Length; i++) records.Add(await replicas[(i + 1) % 3].WaitForFinishAsync(ids[i]));
        Assert.All(records, r => Assert.Equal("succeeded", r["status"]!.GetValue<string>()));
        Assert.All(records, r => Assert.Equal(0, r["restarts"]!.GetValue<int>()));
        // Run twice, a record would hold its three nodes twice.
        Assert.All(records, r => Assert.Equal(["after", "n", "wait"], r["nodes"]!.AsArray().Select(n => n!["node_id"]!.GetValue<string>()).Order()));
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(["replica-1", "replica-2", "replica-3"], records.Select(r => r["replica"]!.GetValue<string>()).Distinct().Order());

        // Saved through replica 1, run through replica 2.
        var (savedStatus, saved) = await r1.PostAsync("/api/v1/workflow/save",
            new JsonObject { ["name"] = "shared", ["data"] = JsonNode.Parse(Payloads.Addition) }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, savedStatus);
        var (runStatus, run) = await r2.PostAsync($"/api/v1/workflow/execute/{saved!["id"]!.GetValue<string>()}", "");
        Assert.Equal(HttpStatusCode.OK, runStatus);
        Assert.Equal(15, run!["results"]!["final_output"]!.GetValue<int>());

        // Every worker slot busy with a one-hour run: each replica holds exactly two.
        var waiting = new List<string>();
        for (var i = 0; i < 3 * Workers; i++) waiting.Add(await replicas[i % 3].SubmitAsync(DelayInTheMiddle("1h")));
        var holders = new Dictionary<string, string>();
        foreach (var id in waiting) holders[id] = (await r1.WaitForStatusAsync(id, "running"))["replica"]!.GetValue<string>();
        Assert.All(replicas, r => Assert.Equal(Workers, holders.Values.Count(h => h == r.Name)));

        // A stream on replica 3 follows a run executing on replica 1; a cancel through replica 2 stops it there.
        var onReplica1 = holders.First(h => h.Value == "replica-1").Key;
        using (var stream = await r3.OpenEventsAsync(onReplica1))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            var events = new List<SseMessage>();
            await foreach (var e in ReadEventsAsync(stream))
            {
                events.Add(e);
                if (e.Type == "node.started" && e.Json!["node_id"]!.GetValue<string>() == "wait")
                {
                    var (cancelStatus, cancelled) = await r2.PostAsync($"/api/v1/executions/{onReplica1}/cancel", "");
                    Assert.Equal(HttpStatusCode.OK, cancelStatus);
                    Assert.Equal("cancelled", cancelled!["status"]!.GetValue<string>());
                }
            }
            Assert.Equal("run.started", events[0].Type);
            Assert.Equal("run.failed", events[^1].Type);
            Assert.Equal("cancelled", events[^1].Json!["status"]!.GetValue<string>());
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long?)i), events.Select(e => e.Id));
        }
        var stopped = await r3.WaitForFinishAsync(onReplica1);
        Assert.Equal("cancelled", stopped["status"]!.GetValue<string>());
        Assert.Equal("replica-1", stopped["replica"]!.GetValue<string>());
        foreach (var id in waiting.Where(id => id != onReplica1)) await r1.PostAsync($"/api/v1/executions/{id}/cancel", "");
        foreach (var id in waiting) await r1.WaitForFinishAsync(id);

        // Fill every slot again with three plain one-hour runs and three restartable 15-second runs. Two runs per replica
        // and an odd number of each kind: some replica holds one of each. It is killed.
        var plain = new List<string>();
        var restartable = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            plain.Add(await replicas[i].SubmitAsync(DelayInTheMiddle("1h")));
            restartable.Add(await replicas[i].SubmitAsync(ReplicaFailoverTests.Restartable("15s")));
        }
        var held = new Dictionary<string, string>();
        foreach (var id in plain.Concat(restartable)) held[id] = (await r1.WaitForStatusAsync(id, "running"))["replica"]!.GetValue<string>();
        var victim = replicas.First(r => plain.Any(id => held[id] == r.Name) && restartable.Any(id => held[id] == r.Name));
        var survivors = replicas.Where(r => r != victim).ToList();
        victim.Kill();

        // The survivors' own one-hour runs are cancelled to free their slots for the restarted run.
        foreach (var id in plain.Where(id => held[id] != victim.Name)) await survivors[0].PostAsync($"/api/v1/executions/{id}/cancel", "");
        var lostPlain = await survivors[0].WaitForFinishAsync(plain.Single(id => held[id] == victim.Name));
        Assert.Equal("interrupted", lostPlain["status"]!.GetValue<string>());
        Assert.Equal(victim.Name, lostPlain["replica"]!.GetValue<string>());
        Assert.Contains("lease ran out", lostPlain["error"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var id in restartable)
        {
            var record = await survivors[1].WaitForFinishAsync(id);
            Assert.Equal("succeeded", record["status"]!.GetValue<string>());
            Assert.NotEqual(victim.Name, record["replica"]!.GetValue<string>());
            Assert.Equal(held[id] == victim.Name ? 1 : 0, record["restarts"]!.GetValue<int>());
            Assert.Equal(["after", "n", "wait"], record["nodes"]!.AsArray().Select(n => n!["node_id"]!.GetValue<string>()).Order());
        }

        // The two others carry on.
        var after = new List<string>();
        for (var i = 0; i < 20; i++) after.Add(await survivors[i % 2].SubmitAsync(DelayInTheMiddle("1ms")));
        foreach (var id in after)
        {
            var record = await survivors[0].WaitForFinishAsync(id);
            Assert.Equal("succeeded", record["status"]!.GetValue<string>());
            Assert.Contains(record["replica"]!.GetValue<string>(), survivors.Select(s => s.Name));
        }
    }

    /// <summary>One <c>thaiyyal-server</c> process on the shared database, with a client for its API.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly ServerProcess _process;
        private readonly HttpClient _client;

        private Replica(string name, ServerProcess process, Uri address)
        {
            Name = name;
            _process = process;
            _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        }

        public string Name { get; }

        public static async Task<Replica> StartAsync(string database, string name)
        {
            var process = ServerProcess.Start(
                ["-addr", "127.0.0.1:0", "-drain-delay", "0s", "-database-url", database, "-instance-id", name, "-lease", "2s",
                 "-workers", Workers.ToString(System.Globalization.CultureInfo.InvariantCulture), "-rate-limit", "0", "-read-rate-limit", "0"],
                new Dictionary<string, string> { ["THAIYYAL_ENCRYPTION_KEY"] = Key });
            try
            {
                return new Replica(name, process, await process.WaitUntilListeningAsync(TimeSpan.FromSeconds(90)));
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }

        public async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string json)
        {
            using var response = await _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }

        public async Task<string> SubmitAsync(string payload)
        {
            var (status, body) = await PostAsync("/api/v1/workflow/execute?mode=async", payload);
            Assert.True(status == HttpStatusCode.Accepted, $"{Name}: {(int)status} {body?.ToJsonString()}");
            return body!["execution_id"]!.GetValue<string>();
        }

        public async Task<JsonNode> WaitForAsync(string id, Func<JsonNode, bool> done)
        {
            using var guard = new CancellationTokenSource(Guard);
            while (true)
            {
                using var response = await _client.GetAsync($"/api/v1/executions/{id}", guard.Token);
                if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(await response.Content.ReadAsStringAsync(guard.Token)) is { } body && done(body))
                    return body;
                await Task.Delay(20, guard.Token);
            }
        }

        public Task<JsonNode> WaitForStatusAsync(string id, string status) => WaitForAsync(id, e => e["status"]!.GetValue<string>() == status);

        public Task<JsonNode> WaitForFinishAsync(string id) =>
            WaitForAsync(id, e => e["status"]!.GetValue<string>() is not ("queued" or "running"));

        public async Task<HttpResponseMessage> OpenEventsAsync(string id)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/executions/{id}/events");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }

        /// <summary>SIGKILL: no shutdown, no hand-back, leases left to run out.</summary>
        public void Kill() => _process.Signal("KILL");

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _process.DisposeAsync();
        }
    }
}
