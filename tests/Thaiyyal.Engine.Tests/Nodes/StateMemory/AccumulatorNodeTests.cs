using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Engine.Tests.Nodes.StateMemory;

public sealed class AccumulatorNodeTests
{
    private readonly NodeHarness _harness = new();

    [Theory]
    [InlineData("sum", "null", "5", "5")]
    [InlineData("sum", "10", "5", "15")]
    [InlineData("product", "null", "5", "5")]
    [InlineData("product", "3", "5", "15")]
    [InlineData("concat", "null", "\"ab\"", "\"ab\"")]
    [InlineData("concat", "\">\"", "\"ab\"", "\">ab\"")]
    [InlineData("array", "null", "{\"a\":1}", "[{\"a\":1}]")]
    [InlineData("array", "[0]", "1", "[0,1]")]
    [InlineData("count", "null", "\"ignored\"", "1")]
    [InlineData("count", "41", "null", "42")]
    public async Task Combines_the_input_with_the_starting_value(string op, string initial, string input, string expected)
    {
        var result = await _harness.ResultAsync("accumulator", $$"""{"accum_op":"{{op}}","initial_value":{{initial}}}""", input);
        JsonAssert.Equal($$"""{"operation":"{{op}}","value":{{expected}}}""", result);
    }

    [Theory]
    [InlineData("sum", "0")]
    [InlineData("product", "1")]
    [InlineData("concat", "\"\"")]
    [InlineData("array", "[]")]
    [InlineData("count", "0")]
    [InlineData("median", "null")]
    public async Task Without_input_the_initialised_value_is_returned(string op, string expected)
    {
        JsonAssert.Equal($$"""{"operation":"{{op}}","value":{{expected}}}""", await _harness.ResultAsync("accumulator", $$"""{"accum_op":"{{op}}"}"""));
    }

    [Fact]
    public async Task Accumulator_nodes_share_one_value_and_later_initial_values_are_ignored()
    {
        var result = await _harness.RunAsync("""
            {"nodes":[
              {"id":"a","type":"test_value","data":{"value":5}},
              {"id":"b","type":"test_value","data":{"value":2}},
              {"id":"acc1","type":"accumulator","data":{"accum_op":"sum","initial_value":10}},
              {"id":"acc2","type":"accumulator","data":{"accum_op":"sum","initial_value":100}}],
             "edges":[{"source":"a","target":"acc1"},{"source":"b","target":"acc2"},{"source":"acc1","target":"acc2"}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        JsonAssert.Equal("""{"operation":"sum","value":15}""", result.NodeResults["acc1"]);
        JsonAssert.Equal("""{"operation":"sum","value":17}""", result.NodeResults["acc2"]);
    }

    [Theory]
    [InlineData("sum", "\"x\"", "1", "accumulator value is not a number")]
    [InlineData("count", "\"x\"", "1", "accumulator value is not a number")]
    [InlineData("concat", "1", "\"a\"", "accumulator value is not a string")]
    [InlineData("array", "1", "1", "accumulator value is not an array")]
    [InlineData("sum", "0", "\"1\"", "sum accumulator requires numeric input, got string")]
    [InlineData("product", "1", "true", "product accumulator requires numeric input, got bool")]
    [InlineData("concat", "\"\"", "[1]", "concat accumulator requires string input, got []interface {}")]
    [InlineData("median", "null", "1", "unsupported accumulator operation: median")]
    public async Task Mismatched_types_and_unknown_operations_fail(string op, string initial, string input, string message)
    {
        Assert.Equal(message, await _harness.FailureAsync("accumulator", $$"""{"accum_op":"{{op}}","initial_value":{{initial}}}""", input));
    }

    [Fact]
    public async Task An_array_beyond_the_array_limit_fails_cleanly()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxArrayLength = 2 });
        Assert.Equal("accumulator would produce 3 elements (limit: 2)",
            await harness.FailureAsync("accumulator", """{"accum_op":"array","initial_value":[1,2]}""", "3"));
    }

    [Fact]
    public void Operation_is_required()
    {
        Assert.Equal("missing required field: accum_op", _harness.Rejection("accumulator", """{"initial_value":1}"""));
    }
}
