using Microsoft.Extensions.Time.Testing;

namespace Thaiyyal.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Concurrent_claimers_take_every_queued_run_exactly_once_oldest_first()
    {
        for (var i = 0; i < 40; i++)
            await Store.Executions.InsertAsync(Execution($"q{i:D2}", T0.AddSeconds(i), ExecutionStatus.Queued) with { PayloadJson = "{}" }, None);
        Assert.Equal(40, await Store.Executions.CountQueuedAsync(None));

        // Four claimers on separate connections race for the rows until none is left.
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(async claimer =>
        {
            var mine = new List<ExecutionRecord>();
            while (await Store.Executions.ClaimNextAsync($"replica-{claimer}", TimeSpan.FromSeconds(30), None) is { } claimed) mine.Add(claimed);
            return mine;
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"q{i:D2}").Order(), all.Select(c => c.Id).Order());
        Assert.All(all, c => Assert.Equal(ExecutionStatus.Running, c.Status));
        Assert.All(all, c => Assert.NotNull(c.LeaseExpiresAt));
        Assert.Equal(0, await Store.Executions.CountQueuedAsync(None));
        foreach (var mine in claims) Assert.Equal(mine.OrderBy(c => c.CreatedAt).Select(c => c.Id), mine.Select(c => c.Id));
        var stored = await Store.Executions.GetAsync("q07", None);
        Assert.Equal(all.Single(c => c.Id == "q07").Replica, stored!.Replica);
    }

    [Fact]
    public async Task A_lease_that_is_not_renewed_runs_out_and_the_run_is_interrupted_with_the_reason()
    {
        var time = new FakeTimeProvider(T0);
        await using var store = await OpenAsync(Options with { Time = time });
        await store.Executions.InsertAsync(Execution("kept", T0, ExecutionStatus.Queued), None);
        await store.Executions.InsertAsync(Execution("lost", T0.AddSeconds(1), ExecutionStatus.Queued), None);
        Assert.Equal("kept", (await store.Executions.ClaimNextAsync("alive", TimeSpan.FromSeconds(10), None))!.Id);
        Assert.Equal("lost", (await store.Executions.ClaimNextAsync("dead", TimeSpan.FromSeconds(10), None))!.Id);
        Assert.Null(await store.Executions.ClaimNextAsync("alive", TimeSpan.FromSeconds(10), None));

        time.Advance(TimeSpan.FromSeconds(8));
        var renewal = await store.Executions.RenewLeasesAsync("alive", ["kept", "lost"], TimeSpan.FromSeconds(10), None);
        Assert.Empty(renewal.CancelRequested);
        Assert.Equal(["lost"], renewal.NotHeld);
        Assert.Empty(await store.Executions.InterruptExpiredAsync("lease ran out", None));
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["lost"], await store.Executions.InterruptExpiredAsync("lease ran out", None));
        var lost = await store.Executions.GetAsync("lost", None);
        Assert.Equal(ExecutionStatus.Interrupted, lost!.Status);
        Assert.Contains("lease ran out", lost.ErrorJson, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Running, (await store.Executions.GetAsync("kept", None))!.Status);
    }

    [Fact]
    public async Task Cancel_requests_cancel_a_queued_run_at_once_and_reach_a_running_one_through_its_lease_renewal()
    {
        await Store.Executions.InsertAsync(Execution("running", T0, ExecutionStatus.Queued), None);
        await Store.Executions.InsertAsync(Execution("queued", T0.AddSeconds(1), ExecutionStatus.Queued), None);
        Assert.Equal("running", (await Store.Executions.ClaimNextAsync("r1", TimeSpan.FromSeconds(30), None))!.Id);

        Assert.Equal(CancelRequestOutcome.CancelledWhileQueued, await Store.Executions.RequestCancelAsync("queued", """{"success":false}""", None));
        Assert.Equal(ExecutionStatus.Cancelled, (await Store.Executions.GetAsync("queued", None))!.Status);
        Assert.Null(await Store.Executions.ClaimNextAsync("r2", TimeSpan.FromSeconds(30), None));

        Assert.Empty((await Store.Executions.RenewLeasesAsync("r1", ["running"], TimeSpan.FromSeconds(30), None)).CancelRequested);
        Assert.Equal(CancelRequestOutcome.RequestedWhileRunning, await Store.Executions.RequestCancelAsync("running", "{}", None));
        Assert.Equal(["running"], (await Store.Executions.RenewLeasesAsync("r2", ["running"], TimeSpan.FromSeconds(30), None)).NotHeld);
        Assert.Equal(["running"], (await Store.Executions.RenewLeasesAsync("r1", ["running"], TimeSpan.FromSeconds(30), None)).CancelRequested);

        Assert.Equal(CancelRequestOutcome.AlreadyFinished, await Store.Executions.RequestCancelAsync("queued", "{}", None));
        Assert.Equal(CancelRequestOutcome.NotFound, await Store.Executions.RequestCancelAsync("nope", "{}", None));
    }
}
