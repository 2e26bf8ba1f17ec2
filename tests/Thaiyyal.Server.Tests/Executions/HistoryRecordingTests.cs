using System.Text.Json.Nodes;
using System.Net;
using Thaiyyal.Server.Executions;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Storage;
using static Thaiyyal.Server.Tests.Support.ExecutionClient;

namespace Thaiyyal.Server.Tests.Executions;

public sealed class HistoryRecordingTests
{
    private static readonly string[] Open = ["-rate-limit", "0", "-read-rate-limit", "0"];

    private static async Task<string> RunSyncAsync(RunningServer server, string payload)
    {
        var (_, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", payload);
        return body!["results"]!["execution_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_synchronous_route_answers_before_its_record_is_written()
    {
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        store.Close();
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Addition);
        Assert.Equal(HttpStatusCode.OK, status);
        var id = body!["results"]!["execution_id"]!.GetValue<string>();
        await store.SaveWaiting;   // the writer holds the record, the response is already here
        Assert.Null(await store.Executions.GetAsync(id, CancellationToken.None));
        store.Open();
        Assert.Equal("succeeded", (await WaitForFinishAsync(server, id))["status"]!.GetValue<string>());
    }

    /// <summary>
    /// Retention's rounds are a minute apart; runs stored faster than the count allows bring the next one forward, so
    /// the history does not hold a minute of runs beyond its count (1.2 million at 20,000 runs a second). Synchronous
    /// runs are stored by the history writer (many to a row), asynchronous ones as they end (a row each).
    /// </summary>
    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    public async Task Runs_stored_past_the_count_are_pruned_within_seconds_not_at_the_next_minute(string mode)
    {
        await using var server = await RunningServer.StartAsync([.. Open, "-history-max-executions", "20"]);
        var store = (IThaiyyalStore)server.App.Services.GetService(typeof(IThaiyyalStore))!;
        async Task<string[]> RunManyAsync(int runs)
        {
            var ids = new string[runs];
            for (var i = 0; i < runs; i++)
                ids[i] = mode == "sync" ? await RunSyncAsync(server, Payloads.Addition) : await SubmitAsync(server, Payloads.Addition);
            if (mode == "sync")
            {
                await WaitForFinishAsync(server, ids[^1]);   // stored, and so are the runs before it: later runs go to other rows
                return ids;
            }
            // Each asynchronous run has had its row since it was submitted: finished, or already pruned (rounds start early
            // as they finish), it is done.
            var guard = DateTimeOffset.UtcNow + Guard;
            foreach (var id in ids)
            {
                while (await store.Executions.GetAsync(id, CancellationToken.None) is { } e && !ExecutionStatusText.IsFinished(e.Status))
                {
                    Assert.True(DateTimeOffset.UtcNow < guard, $"asynchronous run {id} did not finish");
                    await Task.Delay(20);
                }
            }
            return ids;
        }
        var older = await RunManyAsync(60);
        var newer = await RunManyAsync(60);

        // The start-up round found nothing; the next one by the clock is a minute away.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (await store.Executions.GetAsync(older[^1], CancellationToken.None) is not null)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "runs beyond the count were still stored 20 s after the runs");
            await Task.Delay(100);
        }
        foreach (var id in older) Assert.Null(await store.Executions.GetAsync(id, CancellationToken.None));
        foreach (var id in newer[^20..]) Assert.NotNull(await store.Executions.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Runs_waiting_for_the_history_writer_are_bounded_in_bytes_not_only_in_number()
    {
        // Budget: 4 records x 1 KiB. A waiting run keeps its payload and results alive until its record is built.
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, [.. Open, "-history-queue-length", "4", "-history-max-result-bytes", "1024"]);
        store.Close();
        var first = await RunSyncAsync(server, Payloads.Addition);
        await store.SaveWaiting;   // the writer is stuck saving the first record; later ones wait in its queue
        var big = """{"nodes":[{"id":"t","type":"text_input","data":{"text":"TEXT"}}]}""".Replace("TEXT", new string('x', 3000), StringComparison.Ordinal);
        var alone = await RunSyncAsync(server, big);      // over the budget by itself, but nothing else waits: kept
        var second = await RunSyncAsync(server, big);     // the budget is spent: dropped
        var small = await RunSyncAsync(server, Payloads.Addition);
        store.Open();

        Assert.Equal("succeeded", (await WaitForFinishAsync(server, first))["status"]!.GetValue<string>());
        var kept = await WaitForFinishAsync(server, alone);
        Assert.Equal("succeeded", kept["status"]!.GetValue<string>());
        // The stored output of the kept run is capped at the history's result size, with the marker.
        Assert.True(kept["final_output"]!["truncated"]!.GetValue<bool>());
        foreach (var dropped in new[] { second, small })
        {
            using var response = await server.Client.GetAsync($"/api/v1/executions/{dropped}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_record_the_store_refused_while_it_was_unavailable_is_stored_once_it_is_back()
    {
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        store.Break("disk I/O error");
        var id = await RunSyncAsync(server, Payloads.Addition);
        await store.SaveFailed;   // the writer has tried, and holds the record to try again
        store.Mend();
        var record = await WaitForFinishAsync(server, id);
        Assert.Equal("succeeded", record["status"]!.GetValue<string>());
        Assert.Equal(15, record["final_output"]!.GetValue<int>());
    }

    /// <summary>
    /// Runs <paramref name="payload"/>, whose record the store refuses as <paramref name="fault"/> says, then the addition,
    /// while the writer is held at its first save: both records then meet the same refusals. Returns both execution ids.
    /// </summary>
    private static async Task<(string Refused, string Other)> RunRefusedBesideAnotherAsync(RunningServer server, GatedStore store, string payload, StorageFault fault)
    {
        store.RefuseRunsOf(payload, fault);
        store.Close();
        var refused = await RunSyncAsync(server, payload);
        await store.SaveWaiting;   // the writer is held with the refused record; the other run's record waits behind it
        var other = await RunSyncAsync(server, Payloads.Addition);
        await Task.Delay(HistoryWriter.BatchLinger * 4);
        store.Open();
        return (refused, other);
    }

    [Fact]
    public async Task A_record_the_store_refuses_for_itself_is_dropped_and_the_records_with_it_are_stored()
    {
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        var (refused, kept) = await RunRefusedBesideAnotherAsync(server, store, """{"nodes":[{"id":"p","type":"number","data":{"value":7}}]}""", StorageFault.Unknown);

        Assert.Equal("succeeded", (await WaitForFinishAsync(server, kept))["status"]!.GetValue<string>());
        using var response = await server.Client.GetAsync($"/api/v1/executions/{refused}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("succeeded", (await WaitForFinishAsync(server, await RunSyncAsync(server, Payloads.Addition)))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_record_refused_for_a_full_disk_is_kept_while_others_are_stored_and_stored_once_there_is_room()
    {
        // A nearly full disk can take one row and not the next: the refused one is not to blame, so it is not dropped.
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        var (refused, stored) = await RunRefusedBesideAnotherAsync(server, store, """{"nodes":[{"id":"l","type":"number","data":{"value":8}}]}""", StorageFault.Unavailable);

        // The other run joins the refused one's next attempt; after three refusals of the whole batch its records are tried
        // one at a time, and the other run is stored.
        Assert.Equal("succeeded", (await WaitForFinishAsync(server, stored))["status"]!.GetValue<string>());
        using (var response = await server.Client.GetAsync($"/api/v1/executions/{refused}"))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        store.Refuse(null);   // room again
        var record = await WaitForFinishAsync(server, refused);
        Assert.Equal("succeeded", record["status"]!.GetValue<string>());
        Assert.Equal(8, record["final_output"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_record_whose_data_the_database_refuses_is_dropped_even_when_nothing_else_is_stored_and_the_store_looks_unhealthy()
    {
        const string poison = """{"nodes":[{"id":"p","type":"number","data":{"value":9}}]}""";
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        store.ReportUnhealthy("probe failed");
        store.RefuseRunsOf(poison, StorageFault.DataRefused);
        var refused = await RunSyncAsync(server, poison);
        await store.SaveFailed;
        // The writer stores in order: the next run is stored only once the refused record is given up.
        var stored = await RunSyncAsync(server, Payloads.Addition);
        Assert.Equal("succeeded", (await WaitForFinishAsync(server, stored))["status"]!.GetValue<string>());
        store.Refuse(null);
        store.ReportUnhealthy(null);
        Assert.Equal("succeeded", (await WaitForFinishAsync(server, await RunSyncAsync(server, Payloads.Addition)))["status"]!.GetValue<string>());
        using var response = await server.Client.GetAsync($"/api/v1/executions/{refused}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>
    /// Runs arriving steadily while the store takes its time are stored a linger's worth to a transaction. Before, the
    /// writer stored whatever had arrived during the last transaction at once, so one large batch was followed by a
    /// train of small ones, a transaction each, for as long as runs kept coming (a transaction costs far more than a
    /// row, docs/performance.md).
    /// </summary>
    [Fact]
    public async Task Runs_that_arrive_while_a_batch_is_stored_wait_for_the_next_batch_instead_of_a_transaction_each()
    {
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        store.SlowSavesBy(TimeSpan.FromMilliseconds(5));
        var load = TimeSpan.FromSeconds(2);
        var until = DateTime.UtcNow + load;
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (DateTime.UtcNow < until) ids.Add(await RunSyncAsync(server, Payloads.Addition));
        }));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (store.SavedBatchSizes.Sum() < ids.Count && DateTime.UtcNow < deadline) await Task.Delay(50);

        var sizes = store.SavedBatchSizes;
        Assert.Equal(ids.Count, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, 1, HistoryWriter.BatchSize));
        // A transaction per linger (or per full batch) while the runs came, and one for the last of them; the train of
        // small ones made one per save instead (each a few milliseconds here): 86 and 130 transactions when checked.
        var most = (int)(load / HistoryWriter.BatchLinger) + ids.Count / HistoryWriter.BatchSize + 4;
        Assert.True(sizes.Count <= most, $"{ids.Count} runs were stored in {sizes.Count} transactions (at most {most} expected): {string.Join(", ", sizes)}");
    }

    [Fact]
    public async Task The_history_writer_does_not_hold_a_thread_pool_thread()
    {
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        await RunSyncAsync(server, Payloads.Addition);
        Assert.False(await store.FirstSaveOnPoolThread);
    }

    [Fact]
    public async Task History_failures_records_only_failed_runs()
    {
        var store = await TestStores.Open();
        string ok, failed;
        await using (var server = await RunningServer.StartWithStoreAsync(store, null, [.. Open, "-history", "failures"]))
        {
            ok = await RunSyncAsync(server, Payloads.Addition);
            failed = await RunSyncAsync(server, Payloads.DivideByZero);
        }
        // Stopping drained the writer: whatever was queued is stored now.
        Assert.Null(await store.Executions.GetAsync(ok, CancellationToken.None));
        Assert.Equal(ExecutionStatus.Failed, (await store.Executions.GetAsync(failed, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_synchronous_failure_s_body_is_stored_once_and_its_record_shows_the_body_it_answered()
    {
        var store = await TestStores.Open();
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        var (_, answered) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.DivideByZero);
        var id = answered!["results"]!["execution_id"]!.GetValue<string>();
        var record = await WaitForFinishAsync(server, id);
        Assert.Equal("failed", record["status"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(answered, record["error"]), record["error"]?.ToJsonString());
        // Only the run.failed event holds the body: the row's error column stays empty.
        Assert.Null((await store.Executions.GetAsync(id, CancellationToken.None))!.ErrorJson);
    }

    [Fact]
    public async Task History_off_records_no_synchronous_run_but_async_runs_are_still_kept()
    {
        var store = await TestStores.Open();
        string sync, async;
        await using (var server = await RunningServer.StartWithStoreAsync(store, null, [.. Open, "-history", "off"]))
        {
            sync = await RunSyncAsync(server, Payloads.DivideByZero);
            async = await SubmitAsync(server, Payloads.Addition);
            await WaitForFinishAsync(server, async);
        }
        Assert.Null(await store.Executions.GetAsync(sync, CancellationToken.None));
        Assert.Equal(ExecutionStatus.Succeeded, (await store.Executions.GetAsync(async, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task The_history_setting_is_checked()
    {
        var loaded = Thaiyyal.Server.Configuration.ServerSettingsLoader.Load(["-history", "some"], new Dictionary<string, string>());
        Assert.Equal("invalid value \"some\" for -history (from the command line): must be all, failures or off", loaded.Error);
        var fromEnvironment = Thaiyyal.Server.Configuration.ServerSettingsLoader.Load([], new Dictionary<string, string> { ["HISTORY"] = "failures", ["WORKERS"] = "3" });
        Assert.Equal(Thaiyyal.Server.Configuration.HistoryMode.Failures, fromEnvironment.Settings!.Executions.History);
        Assert.Equal(3, fromEnvironment.Settings.Executions.Workers);
    }
}
