namespace Thaiyyal.Storage.Tests;

/// <summary>
/// A replica whose lease lapsed while it was still alive (a long pause, a partition) must not write into the run
/// another attempt now owns: neither its late events nor its final record.
/// </summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task An_attempt_stores_its_events_and_final_record_only_while_it_holds_the_run()
    {
        await Store.Executions.InsertAsync(Execution("fenced", T0, ExecutionStatus.Queued) with { PayloadJson = "restart" }, None);
        var first = (await Store.Executions.ClaimNextAsync("slow", TimeSpan.FromMinutes(1), None))!;
        ExecutionEventRecord Event(long sequence, string from) => new("fenced", sequence, "node.completed", $"{{\"from\":\"{from}\"}}", T0.AddSeconds(sequence));

        Assert.True(await Store.Executions.AppendAttemptEventsAsync(first, [Event(1, "first")], None));

        // The first attempt is handed back (as after its lease lapsed) and the same replica claims the run again.
        Assert.True(await Store.Executions.RequeueAsync("fenced", "slow", None));
        Assert.False(await Store.Executions.AppendAttemptEventsAsync(first, [Event(1, "late"), Event(2, "late")], None));
        var second = (await Store.Executions.ClaimNextAsync("slow", TimeSpan.FromMinutes(1), None))!;
        Assert.Equal(first.Restarts + 1, second.Restarts);
        Assert.False(await Store.Executions.AppendAttemptEventsAsync(first, [Event(1, "late")], None));
        Assert.True(await Store.Executions.AppendAttemptEventsAsync(second, [Event(1, "second")], None));

        // The first attempt's final record arrives late: the second attempt's run stays as it is.
        var lateFinal = first with { Status = ExecutionStatus.Failed, EndedAt = T0.AddSeconds(5), ErrorJson = "{\"from\":\"late\"}", PayloadJson = null };
        await Store.Executions.SaveCompletedAsync([new CompletedExecution(lateFinal, [], [])], None);
        var row = (await Store.Executions.GetAsync("fenced", None))!;
        Assert.Equal((ExecutionStatus.Running, null as string), (row.Status, row.ErrorJson));
        Assert.Equal(["{\"from\":\"second\"}"], (await Store.Executions.GetEventsAsync("fenced", 0, None)).Select(e => e.DataJson));

        var final = second with { Status = ExecutionStatus.Succeeded, EndedAt = T0.AddSeconds(6), FinalOutputJson = "2", PayloadJson = null };
        await Store.Executions.SaveCompletedAsync([new CompletedExecution(final, [], [])], None);
        row = (await Store.Executions.GetAsync("fenced", None))!;
        Assert.Equal((ExecutionStatus.Succeeded, "2"), (row.Status, row.FinalOutputJson));

        // Interrupted by another replica: a late record of the attempt does not turn it back.
        await Store.Executions.InsertAsync(Execution("lost", T0, ExecutionStatus.Queued), None);
        var lost = (await Store.Executions.ClaimNextAsync("slow", TimeSpan.FromMinutes(1), None))!;
        Assert.Equal(1, await Store.Executions.MarkInterruptedAsync("slow", "lease ran out", None));
        Assert.False(await Store.Executions.AppendAttemptEventsAsync(lost, [new ExecutionEventRecord("lost", 1, "run.started", "{}", T0)], None));
        await Store.Executions.SaveCompletedAsync([new CompletedExecution(lost with { Status = ExecutionStatus.Succeeded, EndedAt = T0.AddSeconds(1) }, [], [])], None);
        Assert.Equal(ExecutionStatus.Interrupted, (await Store.Executions.GetAsync("lost", None))!.Status);
    }
}
