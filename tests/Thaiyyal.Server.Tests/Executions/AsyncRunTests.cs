using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Storage;
using static Thaiyyal.Server.Tests.Support.ExecutionClient;

namespace Thaiyyal.Server.Tests.Executions;

public sealed class AsyncRunTests
{
    private static readonly string[] Open = ["-rate-limit", "0", "-read-rate-limit", "0"];

    [Fact]
    public async Task An_async_run_answers_202_with_a_location_and_runs_to_completion()
    {
        var store = await TestStores.Open();
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        using var response = await server.PostJsonAsync("/api/v1/workflow/execute?mode=async", Payloads.Addition);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["execution_id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.Equal($"/api/v1/executions/{id}", response.Headers.Location!.OriginalString);

        var done = await WaitForFinishAsync(server, id);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal("async", done["mode"]!.GetValue<string>());
        Assert.Equal("api", done["source"]!.GetValue<string>());
        Assert.Equal(15, done["final_output"]!.GetValue<double>());
        Assert.Null(done["error"]);
        Assert.Equal(3, done["nodes"]!.AsArray().Count);
        Assert.Equal(15, done["nodes"]!.AsArray().Single(n => n!["node_id"]!.GetValue<string>() == "3")!["result"]!.GetValue<double>());
        Assert.Equal([10.0, 5.0, 15.0], done["nodes"]!.AsArray().Select(n => n!["result"]!.GetValue<double>()));
        Assert.NotNull(done["started_at"]);
        Assert.NotNull(done["ended_at"]);
        // The results are stored once, in the stored answer; the node runs refer to it.
        Assert.All(await store.Executions.GetNodeRunsAsync(id, CancellationToken.None), n => Assert.True(n.ResultInAnswer && n.ResultJson is null));
    }

    [Fact]
    public async Task An_invalid_async_payload_gets_the_same_400_as_the_synchronous_route()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var (syncStatus, syncBody) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Cycle);
        var (asyncStatus, asyncBody) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute?mode=async", Payloads.Cycle);
        Assert.Equal(HttpStatusCode.BadRequest, syncStatus);
        Assert.Equal(HttpStatusCode.BadRequest, asyncStatus);
        Assert.True(JsonNode.DeepEquals(syncBody, asyncBody));
        var (_, list) = await server.GetJsonAsync("/api/v1/executions?mode=async");
        Assert.DoesNotContain(list!["executions"]!.AsArray(), e => e!["mode"]!.GetValue<string>() == "async");
    }

    [Fact]
    public async Task A_failing_async_run_stores_the_failure_body_the_sync_route_answers()
    {
        var store = await TestStores.Open();
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        var (_, syncBody) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.DivideByZero);
        var id = await SubmitAsync(server, Payloads.DivideByZero);
        var done = await WaitForFinishAsync(server, id);
        Assert.Equal("failed", done["status"]!.GetValue<string>());
        var error = done["error"]!;
        foreach (var field in new[] { "error", "details", "error_kind", "node_id", "success" })
            Assert.True(JsonNode.DeepEquals(syncBody![field], error[field]), field);
        Assert.Equal(id, error["results"]!["execution_id"]!.GetValue<string>());
        // Stored once: in the run.failed event, which the record shows; the row's error column stays empty.
        Assert.Null((await store.Executions.GetAsync(id, CancellationToken.None))!.ErrorJson);
    }

    [Fact]
    public async Task A_stored_workflow_runs_async_and_its_record_names_the_workflow()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var (_, saved) = await server.PostJsonForBodyAsync("/api/v1/workflow/save",
            new JsonObject { ["name"] = "adds", ["data"] = JsonNode.Parse(Payloads.Addition) }.ToJsonString());
        var workflowId = saved!["id"]!.GetValue<string>();
        var id = await SubmitAsync(server, "", $"/api/v1/workflow/execute/{workflowId}?mode=async");
        var done = await WaitForFinishAsync(server, id);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal(workflowId, done["workflow_id"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", done["payload_hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_async_run_that_ends_while_the_store_is_unavailable_is_stored_once_it_is_back()
    {
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        var id = await SubmitAsync(server, DelayInTheMiddle("300ms"));
        using (var stream = await OpenEventsAsync(server, id))
        {
            await foreach (var e in ReadEventsAsync(stream))
            {
                if (e.Type == "node.started" && e.Json!["node_id"]!.GetValue<string>() == "wait") break;
            }
        }
        store.Break("disk I/O error");
        await store.SaveFailed;   // the run has ended and its final state was refused
        store.Mend();
        // Before, the record said "running" until the next start marked it interrupted.
        var record = await WaitForFinishAsync(server, id);
        Assert.Equal("succeeded", record["status"]!.GetValue<string>());
        Assert.Contains(record["nodes"]!.AsArray(), n => n!["node_id"]!.GetValue<string>() == "after" && n["status"]!.GetValue<string>() == "completed");
    }

    [Fact]
    public async Task Events_a_running_async_run_cannot_store_are_logged_once_per_streak_and_kept_for_its_final_record()
    {
        var store = new GatedStore(await TestStores.Open());
        var log = new CapturedLog();
        await using var server = await RunningServer.StartAsync(RunningServer.Settings([.. Open, "-log-level", "warn"]), configureServices: services =>
        {
            services.AddSingleton<IThaiyyalStore>(store);
            services.AddSingleton<ILoggerProvider>(log);
        });
        // Ten iterations of 100 ms: new events to store at nearly every flush (ten a second) while the store is broken.
        var id = await SubmitAsync(server, LoopOver(10, "100ms"));
        using (var stream = await OpenEventsAsync(server, id))
        {
            await foreach (var e in ReadEventsAsync(stream))
            {
                if (e.Type == "node.started" && e.Json!["node_id"]!.GetValue<string>() == "step") break;
            }
        }
        store.Break("disk I/O error");
        await store.SaveFailed;   // the run has ended and its final state was refused too
        store.Mend();

        var record = await WaitForFinishAsync(server, id);
        Assert.Equal("succeeded", record["status"]!.GetValue<string>());
        Assert.Equal(10, record["nodes"]!.AsArray().Count(n => n!["node_id"]!.GetValue<string>() == "step"));
        var warnings = log.Records.Where(r => r.Message == "could not store execution events yet" && (string?)r.Fields["execution_id"] == id).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("disk I/O error", warning.Fields["error"]);
    }

    [Fact]
    public async Task Cancel_stops_a_long_delay_for_real()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var id = await SubmitAsync(server, DelayInTheMiddle("1h"));
        using var stream = await OpenEventsAsync(server, id);
        var seen = new List<SseMessage>();
        await foreach (var e in ReadEventsAsync(stream))
        {
            seen.Add(e);
            if (e.Type == "node.started" && e.Json!["node_id"]!.GetValue<string>() == "wait") break;   // inside its one-hour wait
        }
        var (status, body) = await server.PostJsonForBodyAsync($"/api/v1/executions/{id}/cancel", "");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cancelled", body!["status"]!.GetValue<string>());

        var record = await WaitForFinishAsync(server, id);
        Assert.Equal("cancelled", record["status"]!.GetValue<string>());
        Assert.Equal("cancelled", record["error"]!["error_kind"]!.GetValue<string>());
        Assert.True(record["duration_ms"]!.GetValue<double>() < TimeSpan.FromHours(1).TotalMilliseconds);

        var wait = record["nodes"]!.AsArray().Single(n => n!["node_id"]!.GetValue<string>() == "wait")!;
        Assert.Equal("unfinished", wait["status"]!.GetValue<string>());
        Assert.DoesNotContain(record["nodes"]!.AsArray(), n => n!["node_id"]!.GetValue<string>() == "after");
        var (again, againBody) = await server.PostJsonForBodyAsync($"/api/v1/executions/{id}/cancel", "");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("already finished", againBody!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var (unknown, _) = await server.PostJsonForBodyAsync("/api/v1/executions/0000000000000000/cancel", "");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task A_queued_run_cancelled_before_a_worker_takes_it_never_starts()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), engine => engine.Registry.Register(sleep), [.. Open, "-workers", "1"]);
        var busy = await SubmitAsync(server, Payloads.Sleep(3_600_000));
        await sleep.Started;
        var waiting = await SubmitAsync(server, Payloads.Addition);
        var (_, queued) = await server.GetJsonAsync($"/api/v1/executions/{waiting}");
        Assert.Equal("queued", queued!["status"]!.GetValue<string>());

        var (status, body) = await server.PostJsonForBodyAsync($"/api/v1/executions/{waiting}/cancel", "");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cancelled", body!["status"]!.GetValue<string>());
        var (_, cancelled) = await server.GetJsonAsync($"/api/v1/executions/{waiting}");
        Assert.Equal("cancelled", cancelled!["status"]!.GetValue<string>());
        Assert.Null(cancelled["started_at"]);
        Assert.Empty(cancelled["nodes"]!.AsArray());

        var (stop, _) = await server.PostJsonForBodyAsync($"/api/v1/executions/{busy}/cancel", "");
        Assert.Equal(HttpStatusCode.OK, stop);
        await sleep.Cancelled;
        Assert.Equal("cancelled", (await WaitForFinishAsync(server, busy))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_full_async_queue_answers_429()
    {
        var sleep = new SleepNode();
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), engine => engine.Registry.Register(sleep),
            [.. Open, "-workers", "1", "-async-queue-length", "1"]);
        var busy = await SubmitAsync(server, Payloads.Sleep(3_600_000));
        await sleep.Started;
        var waiting = await SubmitAsync(server, Payloads.Addition);
        using (var refused = await server.PostJsonAsync("/api/v1/workflow/execute?mode=async", Payloads.Addition))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("1", refused.Headers.RetryAfter!.ToString());
            Assert.Equal("Too many queued runs", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }
        await server.PostJsonAsync($"/api/v1/executions/{busy}/cancel", "");
        Assert.Equal("succeeded", (await WaitForFinishAsync(server, waiting))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await server.PostJsonAsync("/api/v1/workflow/execute?mode=async", Payloads.Addition)).StatusCode);
    }

    [Fact]
    public async Task Runs_left_queued_or_running_by_a_previous_process_are_marked_interrupted_at_start()
    {
        var store = await TestStores.Open();
        foreach (var (id, status) in new[] { ("aaaaaaaaaaaaaaaa", ExecutionStatus.Running), ("bbbbbbbbbbbbbbbb", ExecutionStatus.Queued) })
        {
            await store.Executions.InsertAsync(new ExecutionRecord
            {
                Id = id, PayloadHash = "00", PayloadJson = Payloads.Addition, Mode = "async", Source = "api", Status = status,
                CreatedAt = DateTimeOffset.UtcNow, Replica = "old",
            }, CancellationToken.None);
        }
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        foreach (var id in new[] { "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb" })
        {
            var (_, record) = await server.GetJsonAsync($"/api/v1/executions/{id}");
            Assert.Equal("interrupted", record!["status"]!.GetValue<string>());
            Assert.Contains("the server stopped before the run finished", record["error"]!.ToJsonString(), StringComparison.Ordinal);
        }
    }
}
