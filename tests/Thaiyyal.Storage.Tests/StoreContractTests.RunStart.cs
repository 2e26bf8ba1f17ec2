namespace Thaiyyal.Storage.Tests;

/// <summary>
/// A synchronous run stored many to a row may keep its <c>run.started</c> event as the event's fields
/// (<see cref="ExecutionRecord.RunStart"/>): they come back exactly, a run stored without them (the form rows had
/// before) comes back without them, and a run with a row of its own, which has no place for them, is refused.
/// </summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_batched_run_keeps_its_run_started_fields_and_a_run_with_its_own_row_is_refused_them()
    {
        var start = new RunStart(1, T0.AddTicks(12_340), 7, "payload's \"workflow\" é");
        var withStart = SyncRun(ServerId(1), T0);
        withStart = withStart with { Execution = withStart.Execution with { RunStart = start } };
        var withoutWorkflow = SyncRun(ServerId(2), T0.AddSeconds(1));
        withoutWorkflow = withoutWorkflow with { Execution = withoutWorkflow.Execution with { RunStart = start with { Sequence = 3, WorkflowId = null } } };
        var without = SyncRun(ServerId(3), T0.AddSeconds(2));

        await Store.Executions.SaveCompletedAsync([withStart, withoutWorkflow, without], None);

        Assert.Equal(1, await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_batches"));
        Assert.Equal(withStart.Execution, await Store.Executions.GetAsync(ServerId(1), None));
        Assert.Equal(start, (await Store.Executions.GetAsync(ServerId(1), None))!.RunStart);
        Assert.Equal(withoutWorkflow.Execution, await Store.Executions.GetAsync(ServerId(2), None));
        Assert.Null((await Store.Executions.GetAsync(ServerId(3), None))!.RunStart);
        // Listed runs carry them too.
        Assert.Equal([without.Execution, withoutWorkflow.Execution, withStart.Execution],
            (await Store.Executions.ListAsync(new(), None)).Items.Where(r => r.Id.StartsWith(ServerId(0)[..8], StringComparison.Ordinal)));

        var ownRow = SyncRun("chosen-by-a-client", T0);
        ownRow = ownRow with { Execution = ownRow.Execution with { RunStart = start } };
        Assert.False(CompletedExecution.StoredInBatch(ownRow.Execution));
        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => Store.Executions.SaveCompletedAsync([ownRow], None));
        Assert.Contains("chosen-by-a-client", refusal.Message, StringComparison.Ordinal);
        Assert.Null(await Store.Executions.GetAsync("chosen-by-a-client", None));
    }
}
