using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using static Thaiyyal.Server.Tests.Support.ExecutionClient;

namespace Thaiyyal.Server.Tests.Executions;

public sealed class ExecutionApiTests
{
    private static readonly string[] Open = ["-rate-limit", "0", "-read-rate-limit", "0"];

    private static async Task<string> RunSyncAsync(RunningServer server, string payload, string path = "/api/v1/workflow/execute")
    {
        var (_, body) = await server.PostJsonForBodyAsync(path, payload);
        return body!["results"]!["execution_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_synchronous_run_is_recorded_with_its_node_results_hash_and_source()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var id = await RunSyncAsync(server, Payloads.Addition);
        var record = await WaitForFinishAsync(server, id);
        Assert.Equal("succeeded", record["status"]!.GetValue<string>());
        Assert.Equal("sync", record["mode"]!.GetValue<string>());
        Assert.Equal("api", record["source"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Payloads.Addition))), record["payload_hash"]!.GetValue<string>());
        Assert.Null(record["workflow_id"]);
        Assert.Equal(15, record["final_output"]!.GetValue<double>());
        var nodes = record["nodes"]!.AsArray();
        Assert.Equal(["1", "2", "3"], nodes.Select(n => n!["node_id"]!.GetValue<string>()).Order());
        Assert.All(nodes, n => Assert.Equal("completed", n!["status"]!.GetValue<string>()));
        Assert.Equal(10, nodes.Single(n => n!["node_id"]!.GetValue<string>() == "1")!["result"]!.GetValue<double>());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workflow/execute") { Content = new StringContent(Payloads.Addition, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Thaiyyal-Source", "editor");
        using var response = await server.Client.SendAsync(request);
        var editorId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["results"]!["execution_id"]!.GetValue<string>();
        Assert.Equal("editor", (await WaitForFinishAsync(server, editorId))["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Nodes_in_a_loop_body_carry_their_scope_and_only_the_first_iterations_are_kept()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, [.. Open, "-history-max-iterations", "2"]);
        var id = await RunSyncAsync(server, LoopOver(5));
        var record = await WaitForFinishAsync(server, id);
        Assert.Equal("succeeded", record["status"]!.GetValue<string>());
        var body = record["nodes"]!.AsArray().Where(n => n!["node_id"]!.GetValue<string>() == "step").ToList();
        Assert.Equal(2, body.Count);
        Assert.All(body, n =>
        {
            Assert.Equal("loop", n!["scope_node_id"]!.GetValue<string>());
            Assert.Equal("completed", n["status"]!.GetValue<string>());
            Assert.True(n["iteration"] is null || n["iteration"]!.GetValue<int>() < 2);
        });
        Assert.Null(record["nodes"]!.AsArray().Single(n => n!["node_id"]!.GetValue<string>() == "loop")!["scope_node_id"]);
    }

    [Fact]
    public async Task A_large_node_result_is_stored_truncated_with_a_marker()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, [.. Open, "-history-max-result-bytes", "100"]);
        var text = new string('x', 500);
        var id = await RunSyncAsync(server, $$$"""{"nodes":[{"id":"t","type":"text_input","data":{"text":"{{{text}}}"}}],"edges":[]}""");
        var node = (await WaitForFinishAsync(server, id))["nodes"]![0]!;
        Assert.True(node["result_truncated"]!.GetValue<bool>());
        Assert.True(node["result"]!["truncated"]!.GetValue<bool>());
        Assert.Equal(502, node["result"]!["original_bytes"]!.GetValue<int>());
        Assert.StartsWith("\"xxx", node["result"]!["preview"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(node["result"]!["preview"]!.GetValue<string>().Length <= 100);
    }

    [Fact]
    public async Task List_filters_by_workflow_status_and_time_and_pages_newest_first()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var (_, saved) = await server.PostJsonForBodyAsync("/api/v1/workflow/save",
            new JsonObject { ["name"] = "adds", ["data"] = JsonNode.Parse(Payloads.Addition) }.ToJsonString());
        var workflowId = saved!["id"]!.GetValue<string>();
        var ids = new List<string>
        {
            await RunSyncAsync(server, Payloads.Addition),
            await RunSyncAsync(server, Payloads.DivideByZero),
            await RunSyncAsync(server, "", $"/api/v1/workflow/execute/{workflowId}"),
            await RunSyncAsync(server, Payloads.Addition),
            await RunSyncAsync(server, Payloads.Addition),
        };
        foreach (var id in ids) await WaitForFinishAsync(server, id);

        var (_, failed) = await server.GetJsonAsync("/api/v1/executions?status=failed");
        Assert.Equal([ids[1]], failed!["executions"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        var (_, stored) = await server.GetJsonAsync($"/api/v1/executions?workflow_id={workflowId}");
        Assert.Equal([ids[2]], stored!["executions"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        var (_, future) = await server.GetJsonAsync("/api/v1/executions?from=2999-01-01T00:00:00Z");
        Assert.Empty(future!["executions"]!.AsArray());
        var (_, past) = await server.GetJsonAsync("/api/v1/executions?to=2000-01-01T00:00:00Z");
        Assert.Empty(past!["executions"]!.AsArray());

        var pages = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var (_, page) = await server.GetJsonAsync("/api/v1/executions?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.True(page!["executions"]!.AsArray().Count <= 2);
            pages.AddRange(page["executions"]!.AsArray().Select(e => e!));
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(ids.Order(), pages.Select(e => e["id"]!.GetValue<string>()).Order());
        var created = pages.Select(e => e["created_at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(created.OrderDescending(), created);
        Assert.Null(pages[0]["nodes"]);

        foreach (var bad in new[] { "status=done", "from=yesterday", "limit=0", "limit=500" })
        {
            var (status, body) = await server.GetJsonAsync("/api/v1/executions?" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("Invalid query", body!["error"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Delete_removes_a_finished_execution_and_refuses_a_running_one()
    {
        await using var server = await RunningServer.StartWithStoreAsync(await TestStores.Open(), null, Open);
        var id = await RunSyncAsync(server, Payloads.Addition);
        await WaitForFinishAsync(server, id);
        using (var delete = await server.Client.DeleteAsync($"/api/v1/executions/{id}")) Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetJsonAsync($"/api/v1/executions/{id}")).Status);
        using (var again = await server.Client.DeleteAsync($"/api/v1/executions/{id}")) Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

        var running = await SubmitAsync(server, DelayInTheMiddle("1h"));
        using (var refused = await server.Client.DeleteAsync($"/api/v1/executions/{running}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("cancel it first", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["details"]!.GetValue<string>());
        }
        await server.PostJsonAsync($"/api/v1/executions/{running}/cancel", "");
        await WaitForStatusAsync(server, running, "cancelled");
        using (var deleted = await server.Client.DeleteAsync($"/api/v1/executions/{running}")) Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    [Fact]
    public async Task The_new_routes_are_in_the_OpenAPI_document()
    {
        await using var server = await RunningServer.StartAsync(Open);
        var document = JsonNode.Parse(await server.Client.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();
        Assert.NotNull(paths["/api/v1/executions"]!["get"]);
        Assert.NotNull(paths["/api/v1/executions/{id}"]!["get"]);
        Assert.NotNull(paths["/api/v1/executions/{id}"]!["delete"]);
        Assert.NotNull(paths["/api/v1/executions/{id}/cancel"]!["post"]);
        Assert.NotNull(paths["/api/v1/executions/{id}/events"]!["get"]!["responses"]!["200"]!["content"]!["text/event-stream"]);
        Assert.NotNull(paths["/api/v1/workflow/execute"]!["post"]!["responses"]!["202"]);
    }
}

public sealed class ExecutionStoreFailureTests
{
    [Fact]
    public async Task A_failing_store_gets_503_on_the_history_routes_while_synchronous_runs_keep_answering()
    {
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, "-rate-limit", "0", "-read-rate-limit", "0");
        store.Break("database is locked");
        var (status, body) = await server.GetJsonAsync("/api/v1/executions");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Execution store unavailable", body!["error"]!.GetValue<string>());
        Assert.Equal("database is locked", body["details"]!.GetValue<string>());
        var (asyncStatus, asyncBody) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute?mode=async", Payloads.Addition);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, asyncStatus);
        Assert.Equal("database is locked", asyncBody!["details"]!.GetValue<string>());
        var (syncStatus, _) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Addition);
        Assert.Equal(HttpStatusCode.OK, syncStatus);
    }
}
