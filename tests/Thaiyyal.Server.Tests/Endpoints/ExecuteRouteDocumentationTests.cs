using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

/// <summary>The execute routes' OpenAPI responses come from their handlers' typed results.</summary>
public sealed class ExecuteRouteDocumentationTests
{
    private static Dictionary<string, string> Responses(JsonNode document, string path) =>
        document["paths"]![path]!["post"]!["responses"]!.AsObject().ToDictionary(
            r => r.Key,
            r => r.Value!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1]);

    [Fact]
    public async Task Every_status_of_the_execute_and_validate_routes_is_documented_with_its_body()
    {
        await using var server = await RunningServer.StartAsync();
        var document = JsonNode.Parse(await server.Client.GetStringAsync("/openapi/v1.json"))!;

        var run = new Dictionary<string, string>
        {
            ["200"] = "ExecuteResponseDoc", ["400"] = "ExecuteResponseDoc", ["422"] = "ExecuteResponseDoc", ["429"] = "ExecuteResponseDoc",
            ["503"] = "ExecuteResponseDoc", ["504"] = "ExecuteResponseDoc", ["202"] = "AsyncRunAccepted",
        };
        Assert.Equal(new Dictionary<string, string>(run) { ["408"] = "ErrorBody", ["413"] = "ErrorBody", ["415"] = "ErrorBody" },
            Responses(document, "/api/v1/workflow/execute"));
        Assert.Equal(new Dictionary<string, string>(run) { ["404"] = "ErrorBody" }, Responses(document, "/api/v1/workflow/execute/{id}"));
        Assert.Equal(new Dictionary<string, string> { ["200"] = "ValidationResponse", ["408"] = "ErrorBody", ["413"] = "ErrorBody", ["415"] = "ErrorBody" },
            Responses(document, "/api/v1/workflow/validate"));
        Assert.NotNull(document["components"]!["schemas"]!["ExecuteResponseDoc"]!["properties"]!["node_id"]);
    }
}
