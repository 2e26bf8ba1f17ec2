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

    [Theory]
    [InlineData(Loop, "\"iteration\":2")]
    [InlineData(Failure, "\"error\":\"division by zero\"")]
    public async Task Events_stored_from_a_deferred_journal_equal_the_live_events_of_the_same_run(string workflow, string expectedData)
    {
        var settings = new ExecutionSettings();
        var live = new List<ExecutionEventRecord>();
        var deferred = new RunJournal("deferred", settings);
        var published = new RunJournal("live", settings, live.Add);
        var engine = new WorkflowEngine();
        await engine.ExecuteAsync(engine.Parse(workflow),
            new RunOptions { Observer = new ObserverFanOut(deferred, published), ExecutionId = "run-1" }, None);
        var ended = DateTimeOffset.UtcNow;
        const string body = """{"success":false,"error":"<division> \"by\" zéro"}""";
        deferred.Finish(ExecutionStatus.Failed, body, ended);
        published.Finish(ExecutionStatus.Failed, body, ended);

        await using var store = await TestStores.Open();
        var completed = deferred.Build(new ExecutionRecord
        {
            Id = "deferred", PayloadHash = new string('0', 64), Mode = "sync", Source = "api", Status = ExecutionStatus.Failed,
            CreatedAt = ended, StartedAt = ended, EndedAt = ended, DurationMs = 1, ErrorJson = body,
        });
        Assert.Empty(completed.Events);
        // Only run.started and run.failed are stored as events; every node event is made again from its node run.
        Assert.Equal(2, completed.EncodedEvents!.Count);
        await store.Executions.SaveCompletedAsync([completed], None);
        Assert.Equal(["run.started", "run.failed"], (await store.Executions.GetEventsAsync("deferred", 0, None)).Select(e => e.Type));

        var record = (await store.Executions.GetAsync("deferred", None))!;
        var stored = await StoredRunEvents.ReadAsync(store.Executions, record, 0, None);
        // The store keeps times to the microsecond, as every other time column.
        static DateTimeOffset Micro(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);
        Assert.Equal(
            live.Select(e => (e.Sequence, e.Type, e.DataJson, Micro(e.Timestamp))),
            stored.Select(e => (e.Sequence, e.Type, e.DataJson, e.Timestamp)));
        Assert.Contains(live, e => e.DataJson.Contains(expectedData, StringComparison.Ordinal));
        // Resuming after an event (Last-Event-ID) gives the rest, node events included.
        var resumed = await StoredRunEvents.ReadAsync(store.Executions, record, 2, None);
        Assert.Equal(live.Skip(2).Select(e => (e.Sequence, e.DataJson)), resumed.Select(e => (e.Sequence, e.DataJson)));
    }
}
