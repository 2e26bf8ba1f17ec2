using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Server.Configuration;
using Thaiyyal.Server.Executions;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Storage;

namespace Thaiyyal.Server.Tests.Executions;

/// <summary>
/// A synchronous run's own events are written straight into their stored form and its node events are kept in its
/// node runs (deferred journal); the events read back (<see cref="StoredRunEvents"/>) must be what the live journal of
/// an asynchronous run publishes for the same run: same order, type, time and data text byte for byte.
/// </summary>
public sealed class RunJournalStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // A loop body (scope and iteration fields) over texts the JSON writer escapes.
    private const string Loop = """
        {"nodes":[{"id":"items_text","type":"text_input","data":{"text":"[\"<a & é>\",\"\\\"q\\\"\",\"日本\"]"}},
          {"id":"items","type":"parse","data":{"input_type":"JSON"}},
          {"id":"loop","type":"for_each","data":{}},
          {"id":"step","type":"delay","parentId":"loop","data":{"duration":"1ms"}}],
         "edges":[{"source":"items_text","target":"items"},{"source":"items","target":"loop"}]}
        """;

    // A failed node (error text).
    private const string Failure = """
        {"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"z","type":"number","data":{"value":0}},
          {"id":"div","type":"operation","data":{"op":"divide"}}],
         "edges":[{"source":"a","target":"div"},{"source":"z","target":"div"}]}
        """;

    // An id the server makes: the run is stored many to a row, and its run.started is kept as the event's fields.
    private const string BatchedId = "0716ac3990000000";

    [Theory]
    [InlineData(Loop, "\"iteration\":2", "deferred", "run-1")]
    [InlineData(Failure, "\"error\":\"division by zero\"", "deferred", "run-1")]
    [InlineData(Loop, "\"iteration\":2", BatchedId, BatchedId)]
    [InlineData(Failure, "\"error\":\"division by zero\"", BatchedId, BatchedId)]
    // The engine ran under another id than the record's: its run.started is kept as it is.
    [InlineData(Failure, "\"error\":\"division by zero\"", BatchedId, "run-1")]
    public async Task Events_stored_from_a_deferred_journal_equal_the_live_events_of_the_same_run(string workflow, string expectedData, string id, string engineId)
    {
        var settings = new ExecutionSettings();
        var live = new List<ExecutionEventRecord>();
        var deferred = new RunJournal(id, settings);
        var published = new RunJournal("live", settings, live.Add);
        var engine = new WorkflowEngine();
        // The payload's own workflow id is in run.started's data.
        await engine.ExecuteAsync(engine.Parse(workflow.Replace("{\"nodes\"", "{\"workflow_id\":\"wf \\\"1\\\" é\",\"nodes\"", StringComparison.Ordinal)),
            new RunOptions { Observer = new ObserverFanOut(deferred, published), ExecutionId = engineId }, None);
        var ended = DateTimeOffset.UtcNow;
        const string body = """{"success":false,"error":"<division> \"by\" zéro"}""";
        deferred.Finish(ExecutionStatus.Failed, body, ended);
        published.Finish(ExecutionStatus.Failed, body, ended);

        await using var store = await TestStores.Open();
        var completed = deferred.Build(new ExecutionRecord
        {
            Id = id, PayloadHash = new string('0', 64), Mode = "sync", Source = "api", Status = ExecutionStatus.Failed,
            CreatedAt = ended, StartedAt = ended, EndedAt = ended, DurationMs = 1, ErrorJson = body,
        });
        Assert.Empty(completed.Events);
        // Only run.started and run.failed are stored as events; every node event is made again from its node run. A run
        // stored many to a row keeps run.started as the event's fields and its end as the answer alone, and they are
        // made again from them (run.started from the record's id only: an engine run under another id keeps its event).
        var batched = id == BatchedId && engineId == id;
        Assert.Equal(batched, completed.Execution.RunStart is not null);
        Assert.Equal(id == BatchedId, completed.RunEnd is not null);
        Assert.Equal(batched ? 0 : id == BatchedId ? 1 : 2, completed.EncodedEvents!.Count);
        await store.Executions.SaveCompletedAsync([completed], None);
        Assert.Equal(batched ? ["run.failed"] : ["run.started", "run.failed"], (await store.Executions.GetEventsAsync(id, 0, None)).Select(e => e.Type));
        Assert.Equal(id == BatchedId, await store.Executions.GetAsync(id, None) is { } saved && CompletedExecution.StoredInBatch(saved));

        var record = (await store.Executions.GetAsync(id, None))!;
        var stored = await StoredRunEvents.ReadAsync(store.Executions, record, 0, None);
        // The store keeps times to the microsecond, as every other time column.
        static DateTimeOffset Micro(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);
        Assert.Equal(
            live.Select(e => (e.Sequence, e.Type, e.DataJson, Micro(e.Timestamp))),
            stored.Select(e => (e.Sequence, e.Type, e.DataJson, e.Timestamp)));
        Assert.Contains(live, e => e.DataJson.Contains(expectedData, StringComparison.Ordinal));
        Assert.Contains("\"workflow_id\":", live[0].DataJson, StringComparison.Ordinal);
        // Resuming after an event (Last-Event-ID) gives the rest, node events included.
        var resumed = await StoredRunEvents.ReadAsync(store.Executions, record, 2, None);
        Assert.Equal(live.Skip(2).Select(e => (e.Sequence, e.DataJson)), resumed.Select(e => (e.Sequence, e.DataJson)));
    }

    [Theory]
    [InlineData(Loop)]
    [InlineData(Failure)]
    public async Task Node_runs_whose_results_the_stored_answer_holds_read_back_and_replay_as_if_they_kept_them(string workflow)
    {
        var settings = new ExecutionSettings();
        var live = new List<ExecutionEventRecord>();
        var referring = new RunJournal("referring", settings);
        var keeping = new RunJournal("keeping", settings);
        var published = new RunJournal("live", settings, live.Add);
        var engine = new WorkflowEngine();
        var result = await engine.ExecuteAsync(engine.Parse(workflow),
            new RunOptions { Observer = new ObserverFanOut(referring, keeping, published), ExecutionId = "run-2" }, None);
        var ended = DateTimeOffset.UtcNow;
        // The answer as the execute route writes it.
        var body = NodeEventJson.WriteValueUtf8(w => ExecutionResponseWriter.Write(w, result, TimeSpan.FromMilliseconds(3)));
        var status = result.Success ? ExecutionStatus.Succeeded : ExecutionStatus.Failed;
        foreach (var journal in new[] { referring, keeping, published }) journal.Finish(status, body, ended);

        await using var store = await TestStores.Open();
        ExecutionRecord Record(string id) => new()
        {
            Id = id, PayloadHash = new string('0', 64), Mode = "sync", Source = "api", Status = status,
            CreatedAt = ended, StartedAt = ended, EndedAt = ended, DurationMs = 1,
        };
        await store.Executions.SaveCompletedAsync([referring.Build(Record("referring"), answer: result), keeping.Build(Record("keeping"))], None);

        // Top-level nodes refer to the answer; the loop body's node runs keep their own results.
        var raw = await store.Executions.GetNodeRunsAsync("referring", None);
        Assert.Contains(raw, n => n.ResultInAnswer && n.ResultJson is null && n.NodeId is "items" or "a");
        Assert.All(raw.Where(n => n.ScopeNodeId is not null), n => Assert.False(n.ResultInAnswer));
        Assert.DoesNotContain(await store.Executions.GetNodeRunsAsync("keeping", None), n => n.ResultInAnswer);

        // Read with the answer's results in place, they are the node runs of the journal that kept every result.
        static object Fields(NodeRunRecord n) => (n.NodeId, n.ScopeNodeId, n.Iteration, n.Status, n.ResultJson, n.ResultTruncated, n.Error, n.ResultInAnswer);
        Assert.Equal(
            (await StoredNodeRuns.ReadAsync(store.Executions, "keeping", null, None)).Select(Fields),
            (await StoredNodeRuns.ReadAsync(store.Executions, "referring", null, None)).Select(Fields));

        // Replayed events are the live ones byte for byte, from the start and resuming after the second.
        var record = (await store.Executions.GetAsync("referring", None))!;
        Assert.Equal(live.Select(e => (e.Sequence, e.Type, e.DataJson)),
            (await StoredRunEvents.ReadAsync(store.Executions, record, 0, None)).Select(e => (e.Sequence, e.Type, e.DataJson)));
        Assert.Equal(live.Skip(2).Select(e => (e.Sequence, e.DataJson)),
            (await StoredRunEvents.ReadAsync(store.Executions, record, 2, None)).Select(e => (e.Sequence, e.DataJson)));
    }
}
