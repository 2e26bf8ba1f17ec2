using System.Net;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

public sealed class CheckEndpointsTests
{
    [Fact]
    public async Task A_broken_expression_is_reported_with_its_column()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/expressions/check", """{"expression":"input * * 2)"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body!["valid"]!.GetValue<bool>());
        Assert.Equal("unexpected '*'", (string?)body["error"]);
        Assert.Equal(9, body["column"]!.GetValue<int>());

        (_, body) = await server.PostJsonForBodyAsync("/api/v1/expressions/check", """{"expression":"item.name.toUpperCase() == 'A'"}""");
        Assert.Equal("""{"valid":true}""", body!.ToJsonString());

        (status, _) = await server.PostJsonForBodyAsync("/api/v1/expressions/check", """{"text":1}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task The_workflow_check_lists_every_problem_with_its_node_and_field()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/check", """
            {"nodes":[
              {"id":"n","type":"number","data":{"value":10}},
              {"id":"e","type":"expression","data":{"expression":"input * * 2)"}},
              {"id":"f","type":"filter","data":{"condition":"string(item)"}},
              {"id":"o","type":"operation","data":{"op":"subtract"}},
              {"id":"c","type":"condition","data":{"condition":">= 18"}}],
             "edges":[{"source":"n","target":"e"},{"source":"n","target":"f"},{"source":"n","target":"o"},{"source":"n","target":"c"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body!["valid"]!.GetValue<bool>());
        var errors = body["errors"]!.AsArray().Select(e => (Node: (string?)e!["node_id"], Field: (string?)e["field"], Message: (string)e["message"]!)).ToList();
        Assert.Contains(("e", "expression", "unexpected '*'"), errors);
        Assert.Contains(errors, e => e.Node == "f" && e.Field == "condition" && e.Message.Contains("unknown function", StringComparison.Ordinal));
        Assert.Contains(("o", null, "needs 2 inputs, has 1"), errors);
        Assert.DoesNotContain(errors, e => e.Node is "n" or "c");
        Assert.Equal(9, body["errors"]!.AsArray().Single(e => (string?)e!["node_id"] == "e")!["column"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_sound_workflow_checks_valid()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        var (_, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/check", """
            {"nodes":[{"id":"a","type":"number","data":{"value":10}},{"id":"b","type":"number","data":{"value":5}},
                      {"id":"o","type":"operation","data":{"op":"subtract"}}],
             "edges":[{"source":"a","target":"o"},{"source":"b","target":"o"}]}
            """);
        Assert.Equal("""{"valid":true,"errors":[]}""", body!.ToJsonString());
    }

    [Fact]
    public async Task A_body_node_counts_the_scope_value_as_its_input_only_when_nothing_is_wired_in()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        var (_, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/check", """
            {"nodes":[{"id":"items","type":"range","data":{"start":1,"end":3}},
                      {"id":"each","type":"for_each","data":{}},
                      {"id":"double","type":"expression","parentId":"each","data":{"expression":"item * 2"}},
                      {"id":"alone","type":"operation","parentId":"each","data":{"op":"add"}},
                      {"id":"wired","type":"operation","parentId":"each","data":{"op":"add"}}],
             "edges":[{"source":"items","target":"each"},{"source":"double","target":"wired"}]}
            """);
        var errors = body!["errors"]!.AsArray().Select(e => (Node: (string?)e!["node_id"], Message: (string)e["message"]!)).ToList();
        Assert.Contains(("alone", "needs 2 inputs, has 1"), errors);
        Assert.Contains(("wired", "needs 2 inputs, has 1"), errors);
        Assert.DoesNotContain(errors, e => e.Node is "double" or "each" or "items");
    }

    [Fact]
    public async Task The_expression_catalogue_lists_the_engine_functions_and_methods()
    {
        await using var server = await RunningServer.StartAsync("-read-rate-limit", "0");
        var (status, body) = await server.GetJsonAsync("/api/v1/expressions/catalogue");
        Assert.Equal(HttpStatusCode.OK, status);
        var functions = body!["functions"]!.AsArray();
        var methods = body["methods"]!.AsArray();
        Assert.Equal(34, functions.Count);
        Assert.Equal(12, methods.Count);
        Assert.All(functions.Concat(methods), f => Assert.False(string.IsNullOrEmpty((string?)f!["description"])));
        Assert.Equal("slice(array, start, end?)", (string?)functions.Single(f => (string?)f!["name"] == "slice")!["signature"]);
        Assert.Equal(".toUpperCase()", (string?)methods.Single(f => (string?)f!["name"] == "toUpperCase")!["signature"]);
    }
}
