using Microsoft.Extensions.Time.Testing;

namespace Thaiyyal.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task An_expired_lease_requeues_restartable_runs_up_to_the_limit_and_interrupts_the_others()
    {
        var time = new FakeTimeProvider(T0);
        await using var store = await OpenAsync(Options with { Time = time });
        await store.Executions.InsertAsync(Execution("again", T0, ExecutionStatus.Queued) with { PayloadJson = "restart" }, None);
        await store.Executions.InsertAsync(Execution("plain", T0.AddSeconds(1), ExecutionStatus.Queued) with { PayloadJson = "keep" }, None);
        await store.Executions.InsertAsync(Execution("asked", T0.AddSeconds(2), ExecutionStatus.Queued) with { PayloadJson = "restart" }, None);
        for (var i = 0; i < 3; i++) await store.Executions.ClaimNextAsync("dead", TimeSpan.FromSeconds(10), None);
        await store.Executions.AppendEventsAsync([new ExecutionEventRecord("again", 1, "run.started", "{}", T0)], None);
        await store.Executions.AddNodeRunsAsync([new NodeRunRecord("again", "n", "number", null, null, "completed", T0, 1, "1", false, null)], None);
        Assert.Equal(CancelRequestOutcome.RequestedWhileRunning, await store.Executions.RequestCancelAsync("asked", "{}", None));
        time.Advance(TimeSpan.FromSeconds(11));

        var expired = await store.Executions.ExpireLeasesAsync("lease ran out", payload => payload == "restart", 1, None);

        Assert.Equal(["again"], expired.Requeued);
        Assert.Equal(["asked", "plain"], expired.Interrupted.Order());
        var again = await store.Executions.GetAsync("again", None);
        Assert.Equal(ExecutionStatus.Queued, again!.Status);
        Assert.Equal((1, null, null, "restart", T0), (again.Restarts, again.Replica, again.LeaseExpiresAt, again.PayloadJson, again.CreatedAt));
        Assert.Empty(await store.Executions.GetEventsAsync("again", 0, None));
        Assert.Empty(await store.Executions.GetNodeRunsAsync("again", None));
        Assert.Equal(ExecutionStatus.Interrupted, (await store.Executions.GetAsync("plain", None))!.Status);

        // Claimed again and lost again: the limit of one restart is used up.
        Assert.Equal("again", (await store.Executions.ClaimNextAsync("dead-too", TimeSpan.FromSeconds(10), None))!.Id);
        time.Advance(TimeSpan.FromSeconds(11));
        var second = await store.Executions.ExpireLeasesAsync("lease ran out", payload => payload == "restart", 1, None);
        Assert.Equal(["again"], second.Interrupted);
        Assert.Empty(second.Requeued);
        Assert.Equal(1, (await store.Executions.GetAsync("again", None))!.Restarts);
    }

    [Fact]
    public async Task A_run_is_handed_back_to_the_queue_only_by_the_replica_that_runs_it()
    {
        await Store.Executions.InsertAsync(Execution("held", T0, ExecutionStatus.Queued) with { PayloadJson = "{}" }, None);
        await Store.Executions.ClaimNextAsync("mine", TimeSpan.FromSeconds(30), None);

        Assert.False(await Store.Executions.RequeueAsync("held", "someone-else", None));
        Assert.True(await Store.Executions.RequeueAsync("held", "mine", None));
        Assert.False(await Store.Executions.RequeueAsync("held", "mine", None));
        var held = await Store.Executions.GetAsync("held", None);
        Assert.Equal((ExecutionStatus.Queued, 1, (string?)null), (held!.Status, held.Restarts, held.Replica));
        Assert.Equal("held", (await Store.Executions.ClaimNextAsync("next", TimeSpan.FromSeconds(30), None))!.Id);
    }
}
