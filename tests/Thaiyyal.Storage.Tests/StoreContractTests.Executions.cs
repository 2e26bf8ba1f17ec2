using System.Globalization;
using Microsoft.Extensions.Time.Testing;

using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage.Tests;

public abstract partial class StoreContractTests
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00Z", CultureInfo.InvariantCulture);

    protected static ExecutionRecord Execution(string id, DateTimeOffset createdAt, ExecutionStatus status = ExecutionStatus.Succeeded,
        string? workflowId = null, string? replica = null) => new()
    {
        Id = id,
        WorkflowId = workflowId,
        WorkflowVersion = workflowId is null ? null : 3,
        PayloadHash = new string('a', 64),
        Mode = "async",
        Source = "api",
        Status = status,
        CreatedAt = createdAt,
        Replica = replica,
    };

    [Fact]
    public async Task An_execution_is_inserted_updated_and_read_back_whole()
    {
        var queued = Execution("e1", T0, ExecutionStatus.Queued, "wf", "replica-a") with { PayloadJson = """{"nodes":[]}""" };
        await Store.Executions.InsertAsync(queued, None);
        Assert.Equal(queued, await Store.Executions.GetAsync("e1", None));

        var done = queued with
        {
            Status = ExecutionStatus.Failed,
            PayloadJson = null,
            StartedAt = T0.AddSeconds(1),
            EndedAt = T0.AddSeconds(3),
            DurationMs = 2000.5,
            FinalOutputJson = """{"n1":4}""",
            ErrorJson = """{"success":false,"error":"boom"}""",
            LeaseExpiresAt = T0.AddSeconds(30),
        };
        Assert.True(await Store.Executions.UpdateAsync(done, None));
        Assert.Equal(done, await Store.Executions.GetAsync("e1", None));
        Assert.False(await Store.Executions.UpdateAsync(done with { Id = "missing" }, None));
        Assert.Null(await Store.Executions.GetAsync("missing", None));
        Assert.Equal("failed", await ScalarTextAsync("SELECT status FROM executions WHERE id = 'e1'"));
    }

    [Fact]
    public async Task Events_are_read_after_a_sequence_in_order_and_appending_twice_keeps_one()
    {
        await Store.Executions.InsertAsync(Execution("e1", T0, ExecutionStatus.Running), None);
        var events = Enumerable.Range(1, 5).Select(i => new ExecutionEventRecord("e1", i, "node.completed", $"{{\"i\":{i}}}", T0.AddSeconds(i))).ToList();
        await Store.Executions.AppendEventsAsync(events[..3], None);
        await Store.Executions.AppendEventsAsync(events[2..], None);

        Assert.Equal(events, await Store.Executions.GetEventsAsync("e1", 0, None));
        Assert.Equal(events[3..], await Store.Executions.GetEventsAsync("e1", 3, None));
        Assert.Empty(await Store.Executions.GetEventsAsync("e1", 5, None));
    }

    [Fact]
    public async Task Node_runs_come_back_in_start_order_with_scope_iterations()
    {
        await Store.Executions.InsertAsync(Execution("e1", T0, ExecutionStatus.Running), None);
        NodeRunRecord Node(string id, int second, string? scope = null, int? iteration = null, string? result = "1", bool truncated = false) =>
            new("e1", id, "number", scope, iteration, "succeeded", T0.AddSeconds(second), 1.5, result, truncated, null);
        var body1 = Node("body", 2, "loop", 1);
        var body0 = Node("body", 2, "loop", 0);
        var first = Node("n1", 1);
        var failed = Node("n2", 3, result: null) with { Status = "failed", Error = "division by zero" };
        var big = Node("n3", 4, result: "\"xxx…\"", truncated: true);
        await Store.Executions.AddNodeRunsAsync([body1, big], None);
        await Store.Executions.AddNodeRunsAsync([first, body0, failed], None);

        Assert.Equal([first, body0, body1, failed, big], await Store.Executions.GetNodeRunsAsync("e1", None));
    }

    [Fact]
    public async Task Completed_batches_insert_or_replace_rows_with_their_nodes_and_events()
    {
        await Store.Executions.InsertAsync(Execution("running", T0, ExecutionStatus.Running), None);
        await Store.Executions.AppendEventsAsync([new ExecutionEventRecord("running", 1, "run.started", "{}", T0)], None);
        var finished = Execution("running", T0) with { EndedAt = T0.AddSeconds(1), DurationMs = 1000 };
        var fresh = Execution("fresh", T0.AddSeconds(1));
        await Store.Executions.SaveCompletedAsync(
        [
            new CompletedExecution(finished,
                [new NodeRunRecord("running", "n1", "number", null, null, "succeeded", T0, 1, "1", false, null)],
                [new ExecutionEventRecord("running", 1, "run.started", "{}", T0), new ExecutionEventRecord("running", 2, "run.completed", "{}", T0)]),
            new CompletedExecution(fresh, [], [new ExecutionEventRecord("fresh", 1, "run.completed", "{}", T0)]),
        ], None);

        Assert.Equal(finished, await Store.Executions.GetAsync("running", None));
        Assert.Equal(fresh, await Store.Executions.GetAsync("fresh", None));
        Assert.Equal([1L, 2L], (await Store.Executions.GetEventsAsync("running", 0, None)).Select(e => e.Sequence));
        Assert.Single(await Store.Executions.GetNodeRunsAsync("running", None));
    }

    [Fact]
    public async Task Listing_is_newest_first_filtered_and_paged_by_cursor()
    {
        // Two share a creation time, so the cursor must break ties by id.
        var all = new[]
        {
            Execution("e1", T0, ExecutionStatus.Succeeded, "wf-a"),
            Execution("e2", T0.AddMinutes(1), ExecutionStatus.Failed, "wf-a"),
            Execution("e3", T0.AddMinutes(2), ExecutionStatus.Succeeded, "wf-b"),
            Execution("e4", T0.AddMinutes(2), ExecutionStatus.Succeeded, "wf-a"),
            Execution("e5", T0.AddMinutes(3), ExecutionStatus.Running),
        };
        foreach (var e in all) await Store.Executions.InsertAsync(e, None);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Store.Executions.ListAsync(new ExecutionQuery(Cursor: cursor, Limit: 2), None);
            seen.AddRange(page.Items.Select(e => e.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(["e5", "e4", "e3", "e2", "e1"], seen);
        Assert.Equal(3, pages);

        Assert.Equal(["e4", "e2", "e1"], await Ids(new ExecutionQuery(WorkflowId: "wf-a")));
        Assert.Equal(["e4", "e3", "e1"], await Ids(new ExecutionQuery(Status: ExecutionStatus.Succeeded)));
        Assert.Equal(["e4", "e1"], await Ids(new ExecutionQuery(WorkflowId: "wf-a", Status: ExecutionStatus.Succeeded)));
        Assert.Equal(["e4", "e3", "e2"], await Ids(new ExecutionQuery(From: T0.AddMinutes(1), To: T0.AddMinutes(3))));
        var firstPage = await Store.Executions.ListAsync(new ExecutionQuery(WorkflowId: "wf-a", Limit: 1), None);
        Assert.Equal(["e2", "e1"], await Ids(new ExecutionQuery(WorkflowId: "wf-a", Cursor: firstPage.NextCursor)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Executions.ListAsync(new ExecutionQuery(Cursor: "not a cursor"), None));

        async Task<List<string>> Ids(ExecutionQuery query) => [.. (await Store.Executions.ListAsync(query, None)).Items.Select(e => e.Id)];
    }

    [Fact]
    public async Task Delete_removes_the_execution_with_its_nodes_and_events()
    {
        await Store.Executions.InsertAsync(Execution("e1", T0), None);
        await Store.Executions.AddNodeRunsAsync([new NodeRunRecord("e1", "n1", "number", null, null, "succeeded", T0, 1, "1", false, null)], None);
        await Store.Executions.AppendEventsAsync([new ExecutionEventRecord("e1", 1, "run.started", "{}", T0)], None);

        Assert.True(await Store.Executions.DeleteAsync("e1", None));
        Assert.False(await Store.Executions.DeleteAsync("e1", None));
        Assert.Null(await Store.Executions.GetAsync("e1", None));
        Assert.Empty(await Store.Executions.GetNodeRunsAsync("e1", None));
        Assert.Empty(await Store.Executions.GetEventsAsync("e1", 0, None));
    }

    [Fact]
    public async Task Mark_interrupted_touches_only_unfinished_runs_of_the_named_replica()
    {
        var time = new FakeTimeProvider(T0.AddHours(1));
        await using var store = await OpenAsync(Options with { Time = time });
        await store.Executions.InsertAsync(Execution("a-running", T0, ExecutionStatus.Running, replica: "a"), None);
        await store.Executions.InsertAsync(Execution("a-queued", T0, ExecutionStatus.Queued, replica: "a"), None);
        await store.Executions.InsertAsync(Execution("a-done", T0, ExecutionStatus.Succeeded, replica: "a"), None);
        await store.Executions.InsertAsync(Execution("b-running", T0, ExecutionStatus.Running, replica: "b"), None);

        Assert.Equal(2, await store.Executions.MarkInterruptedAsync("a", "replica a restarted", None));
        var interrupted = await store.Executions.GetAsync("a-running", None);
        Assert.Equal(ExecutionStatus.Interrupted, interrupted!.Status);
        Assert.Equal(T0.AddHours(1), interrupted.EndedAt);
        Assert.Contains("replica a restarted", interrupted.ErrorJson, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Succeeded, (await store.Executions.GetAsync("a-done", None))!.Status);
        Assert.Equal(ExecutionStatus.Running, (await store.Executions.GetAsync("b-running", None))!.Status);

        Assert.Equal(1, await store.Executions.MarkInterruptedAsync(null, "server restarted", None));
        Assert.Equal(ExecutionStatus.Interrupted, (await store.Executions.GetAsync("b-running", None))!.Status);
    }

    [Fact]
    public async Task Prune_removes_finished_runs_past_the_age_then_beyond_the_count()
    {
        for (var i = 0; i < 6; i++)
        {
            await Store.Executions.InsertAsync(Execution($"e{i}", T0.AddDays(i)), None);
            await Store.Executions.AppendEventsAsync([new ExecutionEventRecord($"e{i}", 1, "run.started", "{}", T0)], None);
        }
        await Store.Executions.InsertAsync(Execution("old-running", T0.AddDays(-1), ExecutionStatus.Running), None);

        // Age: e0 and e1 are older than day 2; the running one is never pruned.
        Assert.Equal(2, await Store.Executions.PruneAsync(T0.AddDays(2), 100, None));
        Assert.Equal(["e5", "e4", "e3", "e2", "old-running"], (await Store.Executions.ListAsync(new(), None)).Items.Select(e => e.Id));
        Assert.Empty(await Store.Executions.GetEventsAsync("e0", 0, None));

        // Count: keep the newest three.
        Assert.Equal(1, await Store.Executions.PruneAsync(T0.AddDays(-10), 3, None));
        Assert.Equal(["e5", "e4", "e3", "old-running"], (await Store.Executions.ListAsync(new(), None)).Items.Select(e => e.Id));
        Assert.Single(await Store.Executions.GetEventsAsync("e3", 0, None));
    }

    [Fact]
    public async Task Pruning_many_executions_goes_in_batches_and_keeps_exactly_the_newest_by_creation_then_id()
    {
        // Pairs of runs share a creation time, so the count's boundary falls between two runs of the same instant.
        var count = SqlExecutionRepository.PruneBatch * 2 + 500;
        var runs = Enumerable.Range(0, count)
            .Select(i => new CompletedExecution(Execution($"p{i:D5}", T0.AddSeconds(i / 2)), [], [])).ToList();
        foreach (var chunk in runs.Chunk(500)) await Store.Executions.SaveCompletedAsync(chunk, None);
        await Store.Executions.InsertAsync(Execution("queued-old", T0.AddDays(-1), ExecutionStatus.Queued), None);

        // Keep 13: the newest thirteen runs by creation time, then id; the boundary splits a pair of the same instant.
        Assert.Equal(count - 13, await Store.Executions.PruneAsync(T0.AddDays(-10), 13, None));
        var left = (await Store.Executions.ListAsync(new ExecutionQuery { Limit = 100 }, None)).Items.Select(e => e.Id).ToList();
        // The queued run is the oldest, and stays: a queued or running run is never removed.
        Assert.Equal([.. Enumerable.Range(count - 13, 13).Reverse().Select(i => $"p{i:D5}"), "queued-old"], left);
        Assert.Equal(0, await Store.Executions.PruneAsync(T0.AddDays(-10), 13, None));
    }

    private async Task<string?> ScalarTextAsync(string sql) => await ScalarTextAsync(Options, sql);

    protected abstract Task<string?> ScalarTextAsync(StoreOptions options, string sql);
}
