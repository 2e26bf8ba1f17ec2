using System.Net;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

public sealed class StoredWorkflowEndpointsTests
{
    private static string Save(string name, string data, string? description = null) =>
        new JsonObject { ["name"] = name, ["description"] = description, ["data"] = JsonNode.Parse(data) }.ToJsonString();

    [Fact]
    public async Task Save_list_load_execute_and_delete_a_workflow()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0", "-read-rate-limit", "0");
        var (saveStatus, saved) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save("  Addition  ", Payloads.Addition, "adds"));
        Assert.Equal(HttpStatusCode.Created, saveStatus);
        Assert.True(saved!["success"]!.GetValue<bool>());
        Assert.Equal("Workflow saved successfully", saved["message"]!.GetValue<string>());
        var id = saved["id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);

        var (_, list) = await server.GetJsonAsync("/api/v1/workflow/list");
        Assert.Equal(1, list!["count"]!.GetValue<int>());
        var summary = list["workflows"]![0]!;
        Assert.Equal(id, summary["id"]!.GetValue<string>());
        Assert.Equal("Addition", summary["name"]!.GetValue<string>());
        Assert.Equal("adds", summary["description"]!.GetValue<string>());
        Assert.Null(summary["data"]);
        Assert.Equal(summary["created_at"]!.GetValue<string>(), summary["updated_at"]!.GetValue<string>());

        var (loadStatus, loaded) = await server.GetJsonAsync($"/api/v1/workflow/load/{id}");
        Assert.Equal(HttpStatusCode.OK, loadStatus);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Payloads.Addition), loaded!["workflow"]!["data"]));

        var (runStatus, run) = await server.PostJsonForBodyAsync($"/api/v1/workflow/execute/{id}", "");
        Assert.Equal(HttpStatusCode.OK, runStatus);
        Assert.Equal(id, run!["workflow_id"]!.GetValue<string>());
        Assert.Equal("Addition", run["workflow_name"]!.GetValue<string>());
        Assert.Equal(15, run["results"]!["final_output"]!.GetValue<double>());
        Assert.NotNull(run["execution_time"]);

        using var delete = await server.Client.DeleteAsync($"/api/v1/workflow/delete/{id}");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal("""{"success":true,"message":"Workflow deleted successfully"}""", JsonNode.Parse(await delete.Content.ReadAsStringAsync())!.ToJsonString());
        var (goneStatus, gone) = await server.GetJsonAsync($"/api/v1/workflow/load/{id}");
        Assert.Equal(HttpStatusCode.NotFound, goneStatus);
        Assert.Equal($"workflow with ID {id} not found", gone!["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"description":"x","data":{"nodes":[]}}""", "Failed to save workflow: workflow name is required")]
    [InlineData("""{"name":"   ","data":{"nodes":[]}}""", "Failed to save workflow: workflow name is required")]
    [InlineData("""{"name":"a"}""", "Failed to save workflow: workflow data is required")]
    [InlineData("""{"name":"a","data":null}""", "Failed to save workflow: workflow data is required")]
    [InlineData("""{"name":"a","data":{"nodes":[{"id":"x","type":"no_such_type"}]}}""", "Failed to save workflow: invalid workflow data:")]
    public async Task Save_rejects_bad_requests_with_400(string request, string error)
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", request);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(error, body!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(body["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Save_rejects_malformed_json_and_long_names()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", "{oops");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Failed to parse request", body!["error"]!.GetValue<string>());
        Assert.NotNull(body["details"]);
        var (longStatus, longBody) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save(new string('n', 201), Payloads.Addition));
        Assert.Equal(HttpStatusCode.BadRequest, longStatus);
        Assert.Contains("longer than 200 characters", longBody!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_store_is_bounded()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0", "-max-stored-workflows", "2");
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Created, (await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save($"w{i}", Payloads.Addition))).Status);
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/save", Save("w3", Payloads.Addition));
        Assert.Equal(HttpStatusCode.InsufficientStorage, status);
        Assert.Contains("the store is full (2 workflows)", body!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_saves_never_overshoot_the_bound()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0", "-max-stored-workflows", "5");
        var saves = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => server.PostJsonForBodyAsync("/api/v1/workflow/save", Save($"w{i}", Payloads.Addition))));
        Assert.Equal(5, saves.Count(s => s.Status == HttpStatusCode.Created));
        var (_, list) = await server.GetJsonAsync("/api/v1/workflow/list");
        Assert.Equal(5, list!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Empty_and_unknown_ids()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0", "-read-rate-limit", "0");
        var (emptyStatus, empty) = await server.GetJsonAsync("/api/v1/workflow/load/");
        Assert.Equal(HttpStatusCode.BadRequest, emptyStatus);
        Assert.Equal("""{"success":false,"error":"Workflow ID is required"}""", empty!.ToJsonString());
        var (runEmptyStatus, runEmpty) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute/", "");
        Assert.Equal(HttpStatusCode.BadRequest, runEmptyStatus);
        Assert.Equal("Workflow ID is required", runEmpty!["error"]!.GetValue<string>());
        var (missingStatus, missing) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute/nope", "");
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Equal("Failed to load workflow", missing!["error"]!.GetValue<string>());
        Assert.Equal("workflow with ID nope not found", missing["details"]!.GetValue<string>());
        using var delete = await server.Client.DeleteAsync("/api/v1/workflow/delete/nope");
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        var (_, list) = await server.GetJsonAsync("/api/v1/workflow/list");
        Assert.Equal("""{"success":true,"workflows":[],"count":0}""", list!.ToJsonString());
    }
}
