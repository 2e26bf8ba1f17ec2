using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class FlatMapNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Spreads_a_fields_arrays_and_appends_other_values()
    {
        var result = await _harness.ResultAsync("flat_map", """{"field":"tags"}""", """[{"tags":["a","b"]},{"tags":"c"},{"x":1},5,{"tags":null}]""");
        JsonAssert.Equal("""{"flattened":["a","b","c",null],"input_count":5,"output_count":4,"field":"tags"}""", result);
    }

    [Theory]
    [InlineData("{}", "")]
    [InlineData("""{"field":"."}""", ".")]
    public async Task Without_a_field_flattens_one_level(string data, string field)
    {
        var result = await _harness.ResultAsync("flat_map", data, "[[1,2],[3,[4]],5]");
        JsonAssert.Equal($$"""{"flattened":[1,2,3,[4],5],"input_count":3,"output_count":5,"field":"{{field}}"}""", result);
    }

    [Fact]
    public async Task Nothing_collected_is_a_nil_array()
    {
        JsonAssert.Equal("""{"flattened":null,"input_count":2,"output_count":0,"field":"tags"}""",
            await _harness.ResultAsync("flat_map", """{"field":"tags"}""", """[{"x":1},{"tags":[]}]"""));
    }

    [Fact]
    public async Task Output_beyond_the_array_limit_fails_cleanly()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxArrayLength = 3 });
        var message = await harness.FailureAsync("flat_map", "{}", "[[1,2],[3,4]]");
        Assert.Equal("flat_map would produce 4 elements (limit: 3)", message);
    }
}
