using System.Globalization;

namespace Thaiyyal.Storage.Tests;

/// <summary>
/// Finished runs keep their node runs and events in their own row (migration 4): what comes back must be exactly
/// what was saved, merged with rows an asynchronous run appended to the tables while it ran.
/// </summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_completed_run_is_one_row_and_its_nodes_and_events_come_back_exactly()
    {
        NodeRunRecord Node(string id, int second, string status = "completed", string? scope = null, int? iteration = null,
            string? result = "1", bool truncated = false, string? error = null, double? duration = 2.25) =>
            new("sync-1", id, "expression", scope, iteration, status, T0.AddSeconds(second), duration, result, truncated, error);
        var nodes = new[]
        {
            Node("n1", 1, result: """{"text":"a \"quoted\" ünïcode \n line","list":[1,2.5,null]}"""),
            Node("body", 2, scope: "loop", iteration: 0, result: "0"),
            Node("body", 2, scope: "loop", iteration: 1, result: "not json at all: \\ \u0001"),
            Node("n2", 3, status: "failed", result: null, error: "division by zero in \"a / b\""),
            Node("n3", 4, result: """{"truncated":true,"original_bytes":70000,"preview":"[1,"}""", truncated: true),
            Node("n4", 5, status: "unfinished", result: null, duration: null),
            // Where a synchronous run's node events stood (they are made again from the node run when read).
            Node("n5", 6) with { StartSequence = 7, EndSequence = 9, EndedAt = T0.AddSeconds(6).AddTicks(22_340) },
            Node("n6", 7, status: "unfinished", result: null, duration: null) with { StartSequence = 8 },
        };
        var events = Enumerable.Range(1, 6)
            .Select(i => new ExecutionEventRecord("sync-1", i, i == 6 ? "run.completed" : "node.completed", $$"""{"i":{{i}},"s":"é\"x"}""", T0.AddSeconds(i)))
            .ToList();
        var record = Execution("sync-1", T0) with
        {
            Mode = "sync", StartedAt = T0, EndedAt = T0.AddSeconds(6), DurationMs = 6000, FinalOutputJson = "3",
        };
        var nodesBefore = await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_nodes");
        var eventsBefore = await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_events");

        await Store.Executions.SaveCompletedAsync([new CompletedExecution(record, nodes, events)], None);

        Assert.Equal(record, await Store.Executions.GetAsync("sync-1", None));
        Assert.Equal(nodes, await Store.Executions.GetNodeRunsAsync("sync-1", None));
        Assert.Equal(events, await Store.Executions.GetEventsAsync("sync-1", 0, None));
        Assert.Equal(events[4..], await Store.Executions.GetEventsAsync("sync-1", 4, None));
        Assert.Empty(await Store.Executions.GetEventsAsync("sync-1", 6, None));
        // Nothing went to the per-node and per-event tables.
        Assert.Equal(nodesBefore, await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_nodes"));
        Assert.Equal(eventsBefore, await ScalarAsync(Options, "SELECT COUNT(*) FROM execution_events"));

        Assert.True(await Store.Executions.DeleteAsync("sync-1", None));
        Assert.Empty(await Store.Executions.GetNodeRunsAsync("sync-1", None));
        Assert.Empty(await Store.Executions.GetEventsAsync("sync-1", 0, None));
    }

    [Fact]
    public async Task Events_appended_while_running_and_those_saved_at_the_end_merge_in_sequence_without_duplicates()
    {
        await Store.Executions.InsertAsync(Execution("async-1", T0, ExecutionStatus.Running), None);
        ExecutionEventRecord Event(long sequence, string data) => new("async-1", sequence, "node.completed", data, T0.AddSeconds(sequence));
        await Store.Executions.AppendEventsAsync([Event(1, "{\"from\":\"table\"}"), Event(2, "{\"from\":\"table\"}")], None);
        await Store.Executions.AddNodeRunsAsync([new NodeRunRecord("async-1", "early", "number", null, null, "completed", T0.AddSeconds(1), 1, "1", false, null)], None);

        // The final save repeats event 2 (already stored: the table's copy is kept) and adds 3 and 4.
        var late = new NodeRunRecord("async-1", "late", "number", null, null, "completed", T0.AddSeconds(2), 1, "2", false, null);
        await Store.Executions.SaveCompletedAsync(
            [new CompletedExecution(Execution("async-1", T0), [late], [Event(2, "{\"from\":\"row\"}"), Event(3, "{}"), Event(4, "{}")])], None);

        var all = await Store.Executions.GetEventsAsync("async-1", 0, None);
        Assert.Equal([1L, 2L, 3L, 4L], all.Select(e => e.Sequence));
        Assert.Equal("{\"from\":\"table\"}", all[1].DataJson);
        Assert.Equal([3L, 4L], (await Store.Executions.GetEventsAsync("async-1", 2, None)).Select(e => e.Sequence));
        Assert.Equal(["early", "late"], (await Store.Executions.GetNodeRunsAsync("async-1", None)).Select(n => n.NodeId));
    }

    [Fact]
    public async Task Node_runs_and_events_naming_another_execution_are_still_stored_under_that_execution()
    {
        await Store.Executions.InsertAsync(Execution("other", T0, ExecutionStatus.Running), None);
        var stray = new NodeRunRecord("other", "n9", "number", null, null, "completed", T0, 1, "9", false, null);
        var strayEvent = new ExecutionEventRecord("other", 1, "run.started", "{}", T0);
        await Store.Executions.SaveCompletedAsync([new CompletedExecution(Execution("mine", T0), [stray], [strayEvent])], None);

        Assert.Equal([stray], await Store.Executions.GetNodeRunsAsync("other", None));
        Assert.Equal([strayEvent], await Store.Executions.GetEventsAsync("other", 0, None));
        Assert.Empty(await Store.Executions.GetNodeRunsAsync("mine", None));
        Assert.Empty(await Store.Executions.GetEventsAsync("mine", 0, None));
    }

    [Fact]
    public async Task Retention_removes_compact_runs_with_everything_they_hold()
    {
        for (var i = 0; i < 3; i++)
        {
            var id = $"c{i}";
            await Store.Executions.SaveCompletedAsync([new CompletedExecution(Execution(id, T0.AddDays(i)),
                [new NodeRunRecord(id, "n1", "number", null, null, "completed", T0, 1, "1", false, null)],
                [new ExecutionEventRecord(id, 1, "run.completed", "{}", T0)])], None);
        }

        Assert.Equal(2, await Store.Executions.PruneAsync(T0.AddDays(-1), 1, None));
        Assert.Equal(["c2"], (await Store.Executions.ListAsync(new(), None)).Items.Select(e => e.Id));
        Assert.Single(await Store.Executions.GetNodeRunsAsync("c2", None));
        Assert.Empty(await Store.Executions.GetEventsAsync("c0", 0, None));
    }

    [Fact]
    public async Task Texts_that_are_one_json_value_and_texts_that_are_not_both_come_back_exactly()
    {
        // Embedded as they are: an object, a JSON string, a number, escapes kept as written. Stored as strings:
        // surrounding white space, two values, a comment, plain text, the empty text.
        string[] texts =
        [
            """{"a":[1,{"b":"\u00e9\"q"}],"c":null}""", "\"just a string\"", "-1.5e3", """ "\u003Cb\u003E" """.Trim(),
            " 1", "1 ", "1 2", "[1] // note", "plain", "", "{\"unclosed\":", "[1,]",
        ];
        var nodes = texts.Select((t, i) => new NodeRunRecord("texts", $"n{i}", "expression", null, null, "completed", T0.AddSeconds(i), 1, t, false, null)).ToList();
        var events = texts.Where(t => t.Length > 0)
            .Select((t, i) => new ExecutionEventRecord("texts", i + 1, "node.completed", t, T0.AddSeconds(i))).ToList();

        await Store.Executions.SaveCompletedAsync([new CompletedExecution(Execution("texts", T0), nodes, events)], None);

        Assert.Equal(nodes, await Store.Executions.GetNodeRunsAsync("texts", None));
        Assert.Equal(events, await Store.Executions.GetEventsAsync("texts", 0, None));
    }

    [Fact]
    public async Task A_run_stored_in_the_migration_4_layout_still_reads()
    {
        // As migration 4's writer stored them: every result and data text a JSON string, times in microseconds.
        var micros = T0.ToUnixTimeMilliseconds() * 1000;
        await StoreRowAsWrittenBeforeAsync("old-row",
            $$"""[{"node_id":"n1","node_type":"number","status":"completed","started_at":{{micros}},"duration_ms":0.5,"result":"{\"v\":1}"},{"node_id":"b","node_type":"expression","scope_node_id":"loop","iteration":2,"status":"failed","started_at":{{micros + 1000}},"duration_ms":1,"error":"boom"}]""",
            $$"""[{"sequence":1,"type":"run.started","timestamp":{{micros}},"data":"{\"node_count\":2}"},{"sequence":2,"type":"run.failed","timestamp":{{micros + 2000}},"data":"{\"status\":\"failed\"}"}]""");

        Assert.Equal(
            [
                new NodeRunRecord("old-row", "n1", "number", null, null, "completed", T0, 0.5, """{"v":1}""", false, null),
                new NodeRunRecord("old-row", "b", "expression", "loop", 2, "failed", T0.AddMilliseconds(1), 1, null, false, "boom"),
            ],
            await Store.Executions.GetNodeRunsAsync("old-row", None));
        Assert.Equal(
            [
                new ExecutionEventRecord("old-row", 1, "run.started", """{"node_count":2}""", T0),
                new ExecutionEventRecord("old-row", 2, "run.failed", """{"status":"failed"}""", T0.AddMilliseconds(2)),
            ],
            await Store.Executions.GetEventsAsync("old-row", 0, None));
    }

    [Fact]
    public async Task Node_runs_are_stored_without_field_names_or_absolute_times_and_every_field_comes_back()
    {
        NodeRunRecord Node(string id, DateTimeOffset started, string status) =>
            new("positional", id, "expression", null, null, status, started, null, null, false, null);
        var nodes = new[]
        {
            // Not in time order: a later node run's time is before the first one's.
            Node("a", T0.AddSeconds(5), "completed") with { DurationMs = 0.0007, ResultJson = "15", ResultIsJson = true, StartSequence = 2, EndSequence = 3, EndedAt = T0.AddSeconds(5).AddTicks(70) },
            Node("b", T0.AddSeconds(1), "skipped") with { StartSequence = 4 },
            // A status outside the numbered ones, an error without a result, trailing empty fields before the error.
            Node("c", T0.AddSeconds(2), "cancelled") with { Error = "stopped \"here\"" },
            Node("d", T0.AddSeconds(3), "completed") with { ResultJson = "text, not JSON", ScopeNodeId = "loop", Iteration = 0 },
            Node("e", T0.AddSeconds(4), "unfinished"),
            // A result kept in the run's answer instead.
            Node("f", T0.AddSeconds(6), "completed") with { DurationMs = 1, ResultInAnswer = true, StartSequence = 5, EndSequence = 6 },
        };

        await Store.Executions.SaveCompletedAsync([new CompletedExecution(Execution("positional", T0), nodes, [])], None);

        // Read back in start order.
        Assert.Equal(nodes.Select(n => n with { ResultIsJson = false }).OrderBy(n => n.StartedAt), await Store.Executions.GetNodeRunsAsync("positional", None));
        Assert.Equal(0, await ScalarAsync(Options, "SELECT COUNT(*) FROM executions WHERE id = 'positional' AND (nodes_json LIKE '%node_id%' OR nodes_json LIKE '%started_at%')"));
        // Only a finished run's own row keeps that a result is in its answer.
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Executions.AddNodeRunsAsync([nodes[^1]], None));
        // Times after the first node run's start, in microseconds: b started four seconds before a.
        Assert.Equal(1, await ScalarAsync(Options, "SELECT COUNT(*) FROM executions WHERE id = 'positional' AND nodes_json LIKE '%[\"b\",\"expression\",3,-4000000,%'"));
    }

    [Fact]
    public async Task A_run_stored_with_node_runs_as_objects_still_reads()
    {
        // As the writer stored node runs before the positional form: objects, raw results, sequences and end times.
        var micros = T0.ToUnixTimeMilliseconds() * 1000;
        await StoreRowAsWrittenBeforeAsync("object-row",
            $$"""[{"node_id":"1","node_type":"number","status":"completed","started_at":{{micros}},"duration_ms":0.0009,"result_json":{"v":[1,2]},"start_sequence":2,"end_sequence":3,"ended_at":{{micros + 1}}},{"node_id":"b","node_type":"expression","scope_node_id":"loop","iteration":2,"status":"failed","started_at":{{micros + 1000}},"duration_ms":1,"error":"boom","result_truncated":true}]""");

        Assert.Equal(
            [
                new NodeRunRecord("object-row", "1", "number", null, null, "completed", T0, 0.0009, """{"v":[1,2]}""", false, null)
                {
                    StartSequence = 2, EndSequence = 3, EndedAt = T0.AddTicks(10),
                },
                new NodeRunRecord("object-row", "b", "expression", "loop", 2, "failed", T0.AddMilliseconds(1), 1, null, true, "boom"),
            ],
            await Store.Executions.GetNodeRunsAsync("object-row", None));
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_its_batch_with_a_storage_error_and_none_of_the_batch_is_kept()
    {
        var good = new CompletedExecution(Execution("kept-not", T0), [], []);
        // payload_hash is NOT NULL in the schema.
        var refused = new CompletedExecution(Execution("refused", T0) with { PayloadHash = null! }, [], []);

        var error = await Assert.ThrowsAsync<StorageException>(() => Store.Executions.SaveCompletedAsync([good, refused], None));

        Assert.Contains("payload_hash", error.Message, StringComparison.OrdinalIgnoreCase);
        // The database's answer says it is the data: storing the same row again cannot succeed (the history writer drops it).
        Assert.Equal(StorageFault.DataRefused, error.Fault);
        Assert.Null(await Store.Executions.GetAsync("kept-not", None));
        Assert.Null(await Store.Executions.GetAsync("refused", None));
    }

    [Fact]
    public async Task A_batch_larger_than_one_round_trip_stores_every_run_with_its_own_values()
    {
        // PostgreSQL sends 64 rows per round trip: 150 rows cross two boundaries.
        var batch = Enumerable.Range(0, 150).Select(i => new CompletedExecution(Execution($"b{i:D3}", T0.AddSeconds(i)) with { DurationMs = i },
            [new NodeRunRecord($"b{i:D3}", "n", "number", null, null, "completed", T0, 1, i.ToString(CultureInfo.InvariantCulture), false, null)],
            [new ExecutionEventRecord($"b{i:D3}", 1, "run.completed", $$"""{"i":{{i}}}""", T0)])).ToList();

        await Store.Executions.SaveCompletedAsync(batch, None);

        foreach (var i in new[] { 0, 63, 64, 127, 128, 149 })
        {
            var id = $"b{i:D3}";
            Assert.Equal(batch[i].Execution, await Store.Executions.GetAsync(id, None));
            Assert.Equal(batch[i].Nodes, await Store.Executions.GetNodeRunsAsync(id, None));
            Assert.Equal(batch[i].Events, await Store.Executions.GetEventsAsync(id, 0, None));
        }
        Assert.Equal(150, (await Store.Executions.ListAsync(new(Limit: 1000), None)).Items.Count(e => e.Id.StartsWith('b')));
    }

    /// <summary>An execution row whose node runs (and events) are the given texts, as an earlier writer stored them.</summary>
    private async Task StoreRowAsWrittenBeforeAsync(string id, string nodesJson, string? eventsJson = null)
    {
        await Store.Executions.InsertAsync(Execution(id, T0), None);
        static string Literal(string? text) => text is null ? "NULL" : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
        await ExecuteRawAsync(Options, $"UPDATE executions SET nodes_json = {Literal(nodesJson)}, events_json = {Literal(eventsJson)} WHERE id = '{id}'");
    }
}
