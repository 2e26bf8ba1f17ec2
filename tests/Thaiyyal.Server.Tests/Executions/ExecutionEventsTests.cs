using System.Net;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using static Thaiyyal.Server.Tests.Support.ExecutionClient;

namespace Thaiyyal.Server.Tests.Executions;

public sealed class ExecutionEventsTests
{
    private static readonly string[] Open = ["-rate-limit", "0", "-read-rate-limit", "0"];

    private static readonly string[] ExpectedTypes =
        ["run.started", "node.started", "node.completed", "node.started", "node.completed", "node.started", "node.completed", "run.completed"];

    [Fact]
    public async Task Events_arrive_in_order_while_the_run_is_going_and_the_stream_ends_with_the_run()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var id = await SubmitAsync(server, DelayInTheMiddle("5s"));
        using var response = await OpenEventsAsync(server, id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);

        var events = new List<SseMessage>();
        string? statusDuringDelay = null;
        await foreach (var e in ReadEventsAsync(response))
        {
            events.Add(e);
            if (e.Type == "node.started" && e.Json!["node_id"]!.GetValue<string>() == "wait")
                statusDuringDelay = (await server.GetJsonAsync($"/api/v1/executions/{id}")).Body!["status"]!.GetValue<string>();
        }
        // The delay's start was seen while the run was still inside the delay.
        Assert.Equal("running", statusDuringDelay);
        Assert.Equal(ExpectedTypes, events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long?)i), events.Select(e => e.Id));
        Assert.Equal(["n", "n", "wait", "wait", "after", "after"], events[1..^1].Select(e => e.Json!["node_id"]!.GetValue<string>()));
        Assert.Equal(7, events[2].Json!["result"]!.GetValue<double>());
        var final = events[^1].Json!;
        Assert.Equal("succeeded", final["status"]!.GetValue<string>());
        Assert.True(final["body"]!["success"]!.GetValue<bool>());
        Assert.Equal(id, final["body"]!["results"]!["execution_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watchers_get_an_asynchronous_run_s_whole_answer_and_its_record_keeps_results_within_the_cap()
    {
        // A 3,000-character text, then a delay to watch during: the answer is over the 1 KiB history cap.
        var text = new string('x', 3000);
        var payload = $$$"""
            {"nodes":[{"id":"t","type":"text_input","data":{"text":"{{{text}}}"}},{"id":"wait","type":"delay","data":{"duration":"1s"}}],
             "edges":[{"source":"t","target":"wait"}]}
            """;
        var store = await TestStores.Open();
        await using var server = await RunningServer.StartWithStoreAsync(store, null, [.. Open, "-history-max-result-bytes", "1024"]);
        var id = await SubmitAsync(server, payload);
        var live = new List<SseMessage>();
        using (var response = await OpenEventsAsync(server, id))
        {
            await foreach (var e in ReadEventsAsync(response)) live.Add(e);
        }
        Assert.Equal("run.completed", live[^1].Type);
        Assert.Equal(text, live[^1].Json!["body"]!["results"]!["node_results"]!["t"]!.GetValue<string>());

        // The stored end event keeps the answer without its results; the node runs and final output keep them capped.
        // (Until the record is stored, the events are still served from the live run, whole.)
        await WaitForFinishAsync(server, id);
        var events = await store.Executions.GetEventsAsync(id, 0, CancellationToken.None);
        Assert.All(events, e => Assert.True(e.DataJson.Length < 2 * 1024, $"{e.Type}: {e.DataJson.Length} characters"));
        var storedBody = System.Text.Json.Nodes.JsonNode.Parse(events[^1].DataJson)!["body"]!;
        Assert.Equal("run.completed", events[^1].Type);
        Assert.True(storedBody["success"]!.GetValue<bool>());
        Assert.Empty(storedBody["results"]!["node_results"]!.AsObject());
        var record = (await server.GetJsonAsync($"/api/v1/executions/{id}")).Body!;
        var node = record["nodes"]!.AsArray().Single(n => n!["node_id"]!.GetValue<string>() == "t")!;
        Assert.True(node["result_truncated"]!.GetValue<bool>());
        Assert.True(record["final_output"]!["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Last_event_id_resumes_without_duplicates_during_and_after_the_run()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var id = await SubmitAsync(server, DelayInTheMiddle("2s"));
        var first = new List<SseMessage>();
        using (var response = await OpenEventsAsync(server, id))
        {
            await foreach (var e in ReadEventsAsync(response))
            {
                first.Add(e);
                if (e.Type == "node.started" && e.Json!["node_id"]!.GetValue<string>() == "wait") break;
            }
        }
        var rest = new List<SseMessage>();
        using (var resumed = await OpenEventsAsync(server, id, first[^1].Id))
        {
            await foreach (var e in ReadEventsAsync(resumed)) rest.Add(e);
        }
        var all = first.Concat(rest).ToList();
        Assert.Equal(ExpectedTypes, all.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long?)i), all.Select(e => e.Id));

        // After the run: the stored events, from any point, then the stream ends.
        var replay = new List<SseMessage>();
        using (var stored = await OpenEventsAsync(server, id, 5))
        {
            await foreach (var e in ReadEventsAsync(stored)) replay.Add(e);
        }
        Assert.Equal([6L, 7L, 8L], replay.Select(e => e.Id!.Value));
        Assert.Equal(all[5..].Select(e => e.Data), replay.Select(e => e.Data));
    }

    [Fact]
    public async Task A_heartbeat_comment_is_sent_while_nothing_happens()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, [.. Open, "-sse-heartbeat", "50ms"]);
        var id = await SubmitAsync(server, DelayInTheMiddle("1s"));
        using var response = await OpenEventsAsync(server, id);
        var messages = new List<SseMessage>();
        await foreach (var e in ReadEventsAsync(response, includeComments: true)) messages.Add(e);
        Assert.Contains(messages, m => m.Comment == "heartbeat");
        Assert.Equal("run.completed", messages.Last(m => m.Comment is null).Type);
    }

    [Fact]
    public async Task A_synchronous_run_s_stored_events_can_be_read_and_unknown_runs_are_404()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var (_, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.DivideByZero);
        var id = body!["results"]!["execution_id"]!.GetValue<string>();
        await WaitForFinishAsync(server, id);
        var events = new List<SseMessage>();
        using (var response = await OpenEventsAsync(server, id))
        {
            await foreach (var e in ReadEventsAsync(response)) events.Add(e);
        }
        Assert.Equal("run.started", events[0].Type);
        Assert.Contains(events, e => e.Type == "node.failed" && e.Json!["node_id"]!.GetValue<string>() == "div");
        Assert.Equal("run.failed", events[^1].Type);
        Assert.Equal("node_failed", events[^1].Json!["body"]!["error_kind"]!.GetValue<string>());

        using var unknown = await OpenEventsAsync(server, "ffffffffffffffff");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Events_of_loop_body_nodes_carry_the_scope_node()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var id = await SubmitAsync(server, LoopOver(3));
        var events = new List<SseMessage>();
        using (var response = await OpenEventsAsync(server, id))
        {
            await foreach (var e in ReadEventsAsync(response)) events.Add(e);
        }
        var body = events.Where(e => e.Type == "node.completed" && e.Json!["node_id"]!.GetValue<string>() == "step").ToList();
        Assert.Equal(3, body.Count);
        Assert.All(body, e => Assert.Equal("loop", e.Json!["scope_node_id"]!.GetValue<string>()));
        Assert.Equal("run.completed", events[^1].Type);
    }
}
