using System.Net;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

public sealed class NodeCatalogueEndpointsTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task The_catalogue_has_the_editor_shape_for_every_registered_type()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        using var response = await server.Client.GetAsync("/api/v1/nodes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"Parallel & Join\"", text, StringComparison.Ordinal);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["categories", "nodes"], body.Select(p => p.Key));
        Assert.Equal(
            """["Input/Output","Control Flow","Operations","Parallel & Join","State & Memory","Error Handling","Utilities","Array Operations","Advanced","Custom"]""",
            body["categories"]!.ToJsonString(Relaxed));
        var number = body["nodes"]!.AsArray().Single(n => n!["type"]!.GetValue<string>() == "number")!;
        Assert.Equal(
            """{"type":"number","category":"Input/Output","label":"Number","description":"A constant number.","fields":[{"name":"value","type":"number","label":"Value","description":"The number to output.","required":true,"default":0,"options":null}],"min_inputs":0,"max_inputs":0,"outputs":[{"id":null,"label":"output"}],"dynamic_outputs":false,"scope":false,"in_palette":true,"defaults":{"value":0},"required_groups":[],"inference_keys":["value"],"inference_rank":1,"inference_also_required":[],"inference_non_empty_string":false}""",
            number.ToJsonString(Relaxed));
        var engine = server.App.Services.GetService(typeof(Thaiyyal.Engine.WorkflowEngine)) as Thaiyyal.Engine.WorkflowEngine;
        Assert.Equal(engine!.Registry.Descriptors.Select(d => d.Type), body["nodes"]!.AsArray().Select(n => n!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_editor_tests_fixture_is_the_servers_catalogue()
    {
        // web/test/fixtures/catalogue.json feeds the editor's unit tests and its mock server: it must be what the
        // server serves, not a copy that drifts. THAIYYAL_UPDATE_FIXTURES=1 rewrites it from the server.
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        var served = await server.Client.GetStringAsync("/api/v1/nodes");
        var path = WebFixture("catalogue.json");
        if (Environment.GetEnvironmentVariable("THAIYYAL_UPDATE_FIXTURES") == "1")
        {
            var indented = new System.Text.Json.JsonSerializerOptions(Relaxed) { WriteIndented = true, IndentSize = 1 };
            await File.WriteAllTextAsync(path, JsonNode.Parse(served)!.ToJsonString(indented) + "\n");
        }
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(served), JsonNode.Parse(await File.ReadAllTextAsync(path))),
            "web/test/fixtures/catalogue.json differs from GET /api/v1/nodes: rerun this test with THAIYYAL_UPDATE_FIXTURES=1, then the editor's tests");
    }

    /// <summary>A file of web/test/fixtures in this checkout.</summary>
    internal static string WebFixture(string name) =>
        Path.Combine(Thaiyyal.Engine.Tests.Conformance.ConformanceCases.RepositoryRoot(), "web", "test", "fixtures", name);

    [Fact]
    public async Task Custom_node_types_and_their_categories_are_included()
    {
        await using var server = await RunningServer.StartAsync(RunningServer.Settings("-read-rate-limit", "0"), engine => engine.Registry.Register(new SleepNode()));
        var (_, body) = await server.GetJsonAsync("/api/v1/nodes");
        Assert.Equal("Testing", body!["categories"]!.AsArray().Last()!.GetValue<string>());
        var sleep = body["nodes"]!.AsArray().Single(n => n!["type"]!.GetValue<string>() == "test_sleep")!;
        Assert.Equal("Testing", sleep["category"]!.GetValue<string>());
        Assert.Equal(1, sleep["max_inputs"]!.GetValue<int>());
        // No editor defaults on the descriptor: built from the field defaults.
        Assert.Equal("""{"ms":1000}""", sleep["defaults"]!.ToJsonString());
    }
}
