using System.Globalization;

namespace Thaiyyal.Storage.Tests;

/// <summary>
/// Finished synchronous runs with the server's ids are stored many to a row (migration 8): each must come back
/// exactly as saved, be listed in order with the runs that have rows of their own, and be deleted and pruned alone.
/// </summary>
public abstract partial class StoreContractTests
{
    /// <summary>A server-made id: 16 hex digits, the first 8 shared by the runs of one batch row.</summary>
    private static string ServerId(long n, string prefix = "0715f102") => prefix + n.ToString("x8", CultureInfo.InvariantCulture);

    private static CompletedExecution SyncRun(string id, DateTimeOffset createdAt, ExecutionStatus status = ExecutionStatus.Succeeded,
        string? workflowId = null, string? finalOutput = "3", string? error = null) =>
        new(Execution(id, createdAt, status, workflowId, "replica-a") with
        {
            Mode = "sync", StartedAt = createdAt, EndedAt = createdAt.AddMilliseconds(2), DurationMs = 2.125,
            FinalOutputJson = finalOutput, ErrorJson = error,
        }, [], []);

    [Fact]
    public async Task Synchronous_runs_with_server_ids_share_a_row_and_each_comes_back_exactly()
    {
        var id = ServerId(1);
        NodeRunRecord Node(string node, int second, string status = "completed", string? scope = null, int? iteration = null,
            string? result = "1", bool truncated = false, string? error = null) =>
            new(id, node, "expression", scope, iteration, status, T0.AddSeconds(second), 2.25, result, truncated, error);
        var nodes = new[]
        {
            Node("n1", 1, result: """{"text":"a \"quoted\" ünïcode \n line","list":[1,2.5,null]}"""),
            Node("body", 2, scope: "loop", iteration: 1, result: "not json at all: \\ \u0001"),
            Node("n2", 3, status: "failed", result: null, error: "division by zero"),
            Node("n3", 4, result: null) with { StartSequence = 2, EndSequence = 3, EndedAt = T0.AddSeconds(4).AddTicks(22_340), ResultInAnswer = true },
        };
        var events = new[]
        {
            new ExecutionEventRecord(id, 1, "run.started", """{"execution_id":"x"}""", T0),
            new ExecutionEventRecord(id, 4, "run.completed", """{"status":"succeeded","body":{"results":{"node_results":{"n3":1}}}}""", T0.AddSeconds(5)),
        };
        var rich = SyncRun(id, T0, finalOutput: """{"n1":"é"}""") with { Nodes = nodes, Events = events };
        // Final outputs and errors of every form: a JSON text, a JSON string, the text null, a text that is not JSON.
        var others = new[]
        {
            SyncRun(ServerId(2), T0.AddSeconds(1), finalOutput: "\"text\""),
            SyncRun(ServerId(3), T0.AddSeconds(2), finalOutput: "null"),
            SyncRun(ServerId(4), T0.AddSeconds(3), finalOutput: "not json ]"),
            SyncRun(ServerId(5), T0.AddSeconds(4), finalOutput: null),
        };
        var before = await ScalarAsync(Options, "SELECT COUNT(*) FROM executions");

        await Store.Executions.SaveCompletedAsync([rich, .. others], None);

        Assert.Equal(before, await ScalarAsync(Options, "SELECT COUNT(*) FROM executions"));
        Assert.Equal(1, await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_batches"));
        Assert.Equal(5, await ScalarAsync(Options, "SELECT run_count FROM execution_batches"));
        Assert.Equal(rich.Execution, await Store.Executions.GetAsync(id, None));
        Assert.Equal(nodes, await Store.Executions.GetNodeRunsAsync(id, None));
        Assert.Equal(events, await Store.Executions.GetEventsAsync(id, 0, None));
        Assert.Equal(events[1..], await Store.Executions.GetEventsAsync(id, 1, None));
        foreach (var other in others)
        {
            Assert.Equal(other.Execution, await Store.Executions.GetAsync(other.Execution.Id, None));
            Assert.Empty(await Store.Executions.GetNodeRunsAsync(other.Execution.Id, None));
        }
        Assert.Null(await Store.Executions.GetAsync(ServerId(6), None));
        Assert.Equal(CancelRequestOutcome.AlreadyFinished, await Store.Executions.RequestCancelAsync(id, "{}", None));
        Assert.Equal(CancelRequestOutcome.NotFound, await Store.Executions.RequestCancelAsync(ServerId(6), "{}", None));

        // Deleting one run writes the row again without it; the others stay as they were.
        Assert.True(await Store.Executions.DeleteAsync(id, None));
        Assert.False(await Store.Executions.DeleteAsync(id, None));
        Assert.Null(await Store.Executions.GetAsync(id, None));
        Assert.Empty(await Store.Executions.GetEventsAsync(id, 0, None));
        Assert.Equal(4, await ScalarAsync(Options, "SELECT run_count FROM execution_batches"));
        Assert.Equal(ServerId(2), await ScalarTextAsync("SELECT first_id FROM execution_batches"));
        foreach (var other in others) Assert.Equal(other.Execution, await Store.Executions.GetAsync(other.Execution.Id, None));

        foreach (var other in others) Assert.True(await Store.Executions.DeleteAsync(other.Execution.Id, None));
        Assert.Equal(0, await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_batches"));
    }

    [Fact]
    public async Task A_batch_row_holds_one_workflow_one_status_and_one_id_prefix_and_listing_filters_by_them()
    {
        var runs = new[]
        {
            SyncRun(ServerId(1), T0, workflowId: "wf-a"),
            SyncRun(ServerId(2), T0.AddSeconds(1), ExecutionStatus.Failed, error: """{"success":false,"error":"boom"}"""),
            SyncRun(ServerId(3), T0.AddSeconds(2)),
            SyncRun(ServerId(4, "0715f103"), T0.AddSeconds(3)),
            SyncRun(ServerId(5), T0.AddSeconds(4), workflowId: "wf-a"),
        };
        await Store.Executions.SaveCompletedAsync(runs, None);

        // (wf-a, succeeded), (failed), (succeeded) under one prefix, and the other prefix.
        Assert.Equal(4, await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_batches"));
        string[] Ids(ExecutionPage page) => [.. page.Items.Select(e => e.Id)];
        Assert.Equal([ServerId(5), ServerId(1)], Ids(await Store.Executions.ListAsync(new(WorkflowId: "wf-a"), None)));
        Assert.Equal([ServerId(2)], Ids(await Store.Executions.ListAsync(new(Status: ExecutionStatus.Failed), None)));
        Assert.Equal([ServerId(5), ServerId(4, "0715f103"), ServerId(3), ServerId(1)],
            Ids(await Store.Executions.ListAsync(new(Status: ExecutionStatus.Succeeded), None)));
        Assert.Equal([ServerId(4, "0715f103"), ServerId(3)],
            Ids(await Store.Executions.ListAsync(new(From: T0.AddSeconds(2), To: T0.AddSeconds(4)), None)));
        Assert.Equal(runs[1].Execution, await Store.Executions.GetAsync(ServerId(2), None));
        Assert.Equal(runs[3].Execution, await Store.Executions.GetAsync(ServerId(4, "0715f103"), None));
    }

    [Fact]
    public async Task Listing_merges_batched_runs_and_rows_newest_first_and_pages_through_all_of_them_once()
    {
        var expected = new List<ExecutionRecord>();
        // 60 batched runs in three saves (rows of the history writer's batches) and 20 asynchronous rows, created
        // interleaved; some share a creation instant.
        for (var save = 0; save < 3; save++)
        {
            var batch = Enumerable.Range(save * 20, 20).Select(i => SyncRun(ServerId(i), T0.AddSeconds(i / 2 * 2))).ToList();
            await Store.Executions.SaveCompletedAsync(batch, None);
            expected.AddRange(batch.Select(b => b.Execution));
        }
        for (var i = 0; i < 20; i++)
        {
            var row = Execution($"row-{i:D2}", T0.AddSeconds(i * 3 + 1));
            await Store.Executions.InsertAsync(row, None);
            expected.Add(row);
        }
        expected = [.. expected.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal)];

        var seen = new List<ExecutionRecord>();
        string? cursor = null;
        do
        {
            var page = await Store.Executions.ListAsync(new(Cursor: cursor, Limit: 7), None);
            Assert.True(page.Items.Count == 7 || page.NextCursor is null);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(expected.Select(e => e.Id), seen.Select(e => e.Id));
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task A_group_larger_than_a_row_holds_is_split_over_rows_and_every_run_comes_back()
    {
        // 300 runs of about 8 KB each: more than one row's JSON takes (RunBundleJson.BatchRowBytes).
        var output = "[" + string.Join(",", Enumerable.Range(0, 1600).Select(i => (i * 7919 % 100000).ToString(CultureInfo.InvariantCulture))) + "]";
        var runs = Enumerable.Range(0, 300).Select(i => SyncRun(ServerId(i), T0.AddMilliseconds(i), finalOutput: output)).ToList();
        await Store.Executions.SaveCompletedAsync(runs, None);

        var rows = await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_batches");
        Assert.InRange(rows, 2, 10);
        Assert.Equal(300, await ScalarAsync(Options, "SELECT SUM(run_count) FROM execution_batches"));
        foreach (var i in new[] { 0, 1, 149, 150, 298, 299 })
            Assert.Equal(runs[i].Execution, await Store.Executions.GetAsync(ServerId(i), None));
        var page = await Store.Executions.ListAsync(new(Limit: 1000), None);
        Assert.Equal(runs.Select(r => r.Execution.Id).Reverse(), page.Items.Select(e => e.Id));
    }

    [Fact]
    public async Task A_batch_saved_again_is_one_row_and_its_runs_are_listed_once()
    {
        var batch = Enumerable.Range(0, 3).Select(i => SyncRun(ServerId(i), T0.AddSeconds(i))).ToList();
        await Store.Executions.SaveCompletedAsync(batch, None);
        // The same runs again with one recorded since, as the history writer retries a batch whose commit's answer was lost.
        await Store.Executions.SaveCompletedAsync([.. batch, SyncRun(ServerId(3), T0.AddSeconds(3))], None);

        Assert.Equal(1, await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_batches"));
        Assert.Equal([ServerId(3), ServerId(2), ServerId(1), ServerId(0)],
            (await Store.Executions.ListAsync(new(), None)).Items.Select(e => e.Id));

        // Saved again in another grouping (its own row): the run is in two rows, listed once, and deleted from both.
        await Store.Executions.SaveCompletedAsync([batch[2]], None);
        Assert.Equal(2, await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_batches"));
        Assert.Equal([ServerId(3), ServerId(2), ServerId(1), ServerId(0)],
            (await Store.Executions.ListAsync(new(), None)).Items.Select(e => e.Id));
        Assert.True(await Store.Executions.DeleteAsync(ServerId(2), None));
        Assert.Null(await Store.Executions.GetAsync(ServerId(2), None));
        Assert.Equal([ServerId(3), ServerId(1), ServerId(0)], (await Store.Executions.ListAsync(new(), None)).Items.Select(e => e.Id));
    }

    [Fact]
    public async Task Prune_removes_batch_rows_past_the_age_and_keeps_whole_rows_holding_any_of_the_newest()
    {
        // Rows of three runs one day apart each (a prefix per day), and one asynchronous row in the middle.
        for (var day = 0; day < 4; day++)
        {
            var prefix = "0715f1" + day.ToString("x2", CultureInfo.InvariantCulture);
            await Store.Executions.SaveCompletedAsync(
                [.. Enumerable.Range(0, 3).Select(i => SyncRun(ServerId(i, prefix), T0.AddDays(day).AddSeconds(i)))], None);
        }
        await Store.Executions.InsertAsync(Execution("async", T0.AddDays(1.5)), None);

        // Age: day 0's row is older than the cutoff; day 1's row has one run older than it and is kept whole.
        Assert.Equal(3, await Store.Executions.PruneAsync(T0.AddDays(1).AddSeconds(1), 100, None));
        Assert.Equal(10, (await Store.Executions.ListAsync(new(), None)).Items.Count);

        // Count: keep 4. Day 3's row holds the newest three, day 2's the fourth: both stay, the rest goes.
        Assert.Equal(4, await Store.Executions.PruneAsync(T0.AddDays(-10), 4, None));
        var left = (await Store.Executions.ListAsync(new(), None)).Items;
        Assert.Equal(6, left.Count);
        Assert.All(left, e => Assert.True(e.CreatedAt >= T0.AddDays(2)));
        Assert.Equal(0, await Store.Executions.PruneAsync(T0.AddDays(-10), 4, None));
    }
}

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_batched_run_read_again_comes_from_its_row_as_the_row_is_now()
    {
        var runs = Enumerable.Range(1, 5).Select(i => SyncRun(ServerId(60 + i), T0.AddSeconds(i))).ToArray();
        await Store.Executions.SaveCompletedAsync(runs, None);
        var third = runs[2].Execution.Id;

        // Each run of the row, then one of them twice in a row (the second read finds the row unchanged).
        foreach (var run in runs) Assert.Equal(run.Execution, await Store.Executions.GetAsync(run.Execution.Id, None));
        Assert.Equal(runs[2].Execution, await Store.Executions.GetAsync(third, None));
        Assert.True(await Store.Executions.DeleteAsync(third, None));

        // The row was written again without it: gone, and its neighbours still there.
        Assert.Null(await Store.Executions.GetAsync(third, None));
        Assert.Empty(await Store.Executions.GetEventsAsync(third, 0, None));
        Assert.Equal(runs[3].Execution, await Store.Executions.GetAsync(runs[3].Execution.Id, None));
        Assert.Null(await Store.Executions.GetAsync(ServerId(70), None));
    }
}
