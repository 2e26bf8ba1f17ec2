using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes;
using Thaiyyal.Engine.Workflows;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Endpoints;

/// <summary>
/// A node type is declared in one class: its fields with their defaults, a "one of these is required" group and
/// the data keys that infer it. That one declaration must reach decoding, the workflow check, type inference and
/// the catalogue the editor builds its form from (the editor's side is web/test/catalogue/oneFileNode.test.tsx,
/// which reads the catalogue entry this test checks against the server's).
/// </summary>
public sealed class OneFileNodeTests
{
    /// <summary>Converts a temperature given in Celsius or Kelvin to Fahrenheit, rounded to <c>digits</c>.</summary>
    private sealed class FahrenheitNode : NodeExecutor<FahrenheitNode.Options>
    {
        public sealed record Options(double Celsius, long Digits);

        public override NodeDescriptor Descriptor { get; } = new("fahrenheit", NodeCategories.Custom, "Fahrenheit",
            "Converts Celsius or Kelvin to Fahrenheit.",
            [
                new NodeField("celsius", FieldType.Number, "Celsius", "Temperature in degrees Celsius."),
                new NodeField("kelvin", FieldType.Number, "Kelvin", "Temperature in kelvin."),
                new NodeField("digits", FieldType.Integer, "Digits", "Decimal places of the result.", Default: 1),
            ])
        {
            MinInputs = 0,
            MaxInputs = 0,
            RequiredGroups = [["celsius", "kelvin"]],
            Inference = new InferenceRule(100, ["celsius", "kelvin"]),
        };

        protected override bool IsIndependent(Options options) => true;

        protected override Options BindOptions(NodeData data) =>
            new(data.Number("celsius") ?? data.Number("kelvin")!.Value - 273.15, data.IntegerOrDefault("digits"));

        protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options) =>
            new(Value.From(Math.Round(options.Celsius * 9 / 5 + 32, (int)options.Digits)));
    }

    private static Task<RunningServer> StartAsync() =>
        RunningServer.StartAsync(RunningServer.Settings("-read-rate-limit", "0", "-rate-limit", "0"), engine => engine.Registry.Register(new FahrenheitNode()));

    [Fact]
    public async Task The_catalogue_serves_the_declared_fields_defaults_group_and_inference_keys()
    {
        await using var server = await StartAsync();
        var (_, body) = await server.GetJsonAsync("/api/v1/nodes");
        var entry = body!["nodes"]!.AsArray().Single(n => (string?)n!["type"] == "fahrenheit")!;

        Assert.Equal("""{"digits":1}""", entry["defaults"]!.ToJsonString());
        Assert.Equal("""[["celsius","kelvin"]]""", entry["required_groups"]!.ToJsonString());
        Assert.Equal("""["celsius","kelvin"]""", entry["inference_keys"]!.ToJsonString());
        Assert.Equal(100, (int)entry["inference_rank"]!);
        Assert.Equal(["celsius", "kelvin", "digits"], entry["fields"]!.AsArray().Select(f => (string)f!["name"]!));

        // The editor's test renders its form and infers its type from this very entry.
        var fixture = JsonNode.Parse(await File.ReadAllTextAsync(NodeCatalogueEndpointsTests.WebFixture("one-file-node.json")))!;
        Assert.True(JsonNode.DeepEquals(entry, fixture),
            $"web/test/fixtures/one-file-node.json differs from the server's catalogue entry; the server says:\n{entry.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
    }

    [Fact]
    public async Task A_node_without_a_type_is_inferred_from_its_keys_and_runs_with_the_declared_default()
    {
        await using var server = await StartAsync();
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute",
            """{"nodes":[{"id":"c","data":{"celsius":21.5}},{"id":"k","data":{"kelvin":300,"digits":3}}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var results = body!["results"]!["node_results"]!;
        Assert.Equal(70.7, (double)results["c"]!);
        Assert.Equal(80.33, (double)results["k"]!);
    }

    [Fact]
    public async Task The_required_group_is_enforced_at_decode_and_reported_by_the_check_on_its_node()
    {
        await using var server = await StartAsync();
        const string payload = """{"nodes":[{"id":"t","type":"fahrenheit","data":{"digits":2}}]}""";

        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", payload);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("one of celsius, kelvin is required", body!.ToJsonString(), StringComparison.Ordinal);

        var (_, check) = await server.PostJsonForBodyAsync("/api/v1/workflow/check", payload);
        Assert.False((bool)check!["valid"]!);
        var error = Assert.Single(check["errors"]!.AsArray())!;
        Assert.Equal("t", (string?)error["node_id"]);
        Assert.Contains("one of celsius, kelvin is required", (string)error["message"]!, StringComparison.Ordinal);
    }
}
