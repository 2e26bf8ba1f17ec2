using System.Text;

namespace Thaiyyal.Storage.Tests;

/// <summary>
/// A synchronous run stored many to a row may keep its end event as its sequence and answer alone
/// (<see cref="CompletedExecution.RunEnd"/>): the store makes the event again, typed by the run's status, at the run's
/// end, with <c>{"status", "body"}</c> as its data, the answer's text byte for byte; it sits in sequence among the
/// run's other events, resuming after a sequence leaves it out once passed, and deleting another run of the row keeps
/// it. A run with a row of its own, which has no place for it, is refused it, and so is a run without an end time or
/// with an empty answer.
/// </summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_batched_run_keeps_its_end_event_as_its_answer_and_the_store_makes_the_event_again()
    {
        // Texts the JSON writer would escape, kept as they were written.
        const string answer = """{"results":{"node_results":{"n1":"<a & \u00e9>","n2":[1,2.5,null]},"final_output":"\"q\""},"success":true}""";
        const string failure = """{"success":false,"error":"division by zero","details":{"node_id":"div"}}""";
        var succeeded = SyncRun(ServerId(1), T0) with { RunEnd = new RunEnd(8, Encoding.UTF8.GetBytes(answer)) };
        succeeded = succeeded with
        {
            Execution = succeeded.Execution with { RunStart = new RunStart(1, T0, 3, null) },
            Events = [new ExecutionEventRecord(ServerId(1), 5, "note", """{"x":1}""", T0.AddMilliseconds(1))],
        };
        // No run.started fields but an end: the row keeps a place for the first.
        var failed = SyncRun(ServerId(2), T0.AddSeconds(1), ExecutionStatus.Failed, finalOutput: null)
            with { RunEnd = new RunEnd(4, Encoding.UTF8.GetBytes(failure)) };
        var cancelled = SyncRun(ServerId(3), T0.AddSeconds(2), ExecutionStatus.Cancelled, finalOutput: null)
            with { RunEnd = new RunEnd(2, Encoding.UTF8.GetBytes("null")) };
        var plain = SyncRun(ServerId(4), T0.AddSeconds(3));

        await Store.Executions.SaveCompletedAsync([succeeded, failed, cancelled, plain], None);

        var ended = T0.AddMilliseconds(2);
        Assert.Equal(
            [
                new ExecutionEventRecord(ServerId(1), 5, "note", """{"x":1}""", T0.AddMilliseconds(1)),
                new ExecutionEventRecord(ServerId(1), 8, "run.completed", $$"""{"status":"succeeded","body":{{answer}}}""", ended),
            ],
            await Store.Executions.GetEventsAsync(ServerId(1), 0, None));
        Assert.Equal([8L], (await Store.Executions.GetEventsAsync(ServerId(1), 5, None)).Select(e => e.Sequence));
        Assert.Empty(await Store.Executions.GetEventsAsync(ServerId(1), 8, None));
        Assert.Equal(succeeded.Execution, await Store.Executions.GetAsync(ServerId(1), None));

        Assert.Equal(
            [new ExecutionEventRecord(ServerId(2), 4, "run.failed", $$"""{"status":"failed","body":{{failure}}}""", ended.AddSeconds(1))],
            await Store.Executions.GetEventsAsync(ServerId(2), 0, None));
        Assert.Null((await Store.Executions.GetAsync(ServerId(2), None))!.RunStart);
        Assert.Equal(
            [new ExecutionEventRecord(ServerId(3), 2, "run.failed", """{"status":"cancelled","body":null}""", ended.AddSeconds(2))],
            await Store.Executions.GetEventsAsync(ServerId(3), 0, None));
        Assert.Empty(await Store.Executions.GetEventsAsync(ServerId(4), 0, None));

        // Another run deleted from the row: the row is written again, the end events kept.
        Assert.True(await Store.Executions.DeleteAsync(ServerId(3), None));
        Assert.Equal(2, (await Store.Executions.GetEventsAsync(ServerId(1), 0, None)).Count);
        Assert.Equal("run.failed", Assert.Single(await Store.Executions.GetEventsAsync(ServerId(2), 0, None)).Type);

        var ownRow = SyncRun("chosen-by-a-client", T0) with { RunEnd = new RunEnd(2, Encoding.UTF8.GetBytes(answer)) };
        Assert.False(CompletedExecution.StoredInBatch(ownRow.Execution));
        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => Store.Executions.SaveCompletedAsync([ownRow], None));
        Assert.Contains("chosen-by-a-client", refusal.Message, StringComparison.Ordinal);
        var unended = SyncRun(ServerId(5), T0) with { RunEnd = new RunEnd(2, Encoding.UTF8.GetBytes(answer)) };
        unended = unended with { Execution = unended.Execution with { EndedAt = null } };
        refusal = await Assert.ThrowsAsync<ArgumentException>(() => Store.Executions.SaveCompletedAsync([unended], None));
        Assert.Contains(ServerId(5), refusal.Message, StringComparison.Ordinal);
        Assert.Null(await Store.Executions.GetAsync(ServerId(5), None));
        var unanswered = SyncRun(ServerId(6), T0) with { RunEnd = new RunEnd(2, ReadOnlyMemory<byte>.Empty) };
        refusal = await Assert.ThrowsAsync<ArgumentException>(() => Store.Executions.SaveCompletedAsync([unanswered], None));
        Assert.Contains(ServerId(6), refusal.Message, StringComparison.Ordinal);
        Assert.Null(await Store.Executions.GetAsync(ServerId(6), None));
    }
}
