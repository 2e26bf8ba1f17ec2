namespace Thaiyyal.Engine.Tests.Nodes.StateMemory;

public sealed class CounterNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Counter_nodes_share_one_counter_starting_at_zero()
    {
        var result = await _harness.RunAsync("""
            {"nodes":[
              {"id":"c1","type":"counter","data":{"counter_op":"increment"}},
              {"id":"c2","type":"counter","data":{"counter_op":"increment","delta":5}},
              {"id":"c3","type":"counter","data":{"counter_op":"decrement","delta":2.5}},
              {"id":"c4","type":"counter","data":{"counter_op":"get"}},
              {"id":"c5","type":"counter","data":{"counter_op":"reset"}}],
             "edges":[{"source":"c1","target":"c2"},{"source":"c2","target":"c3"},{"source":"c3","target":"c4"},{"source":"c4","target":"c5"}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        JsonAssert.Equal("""{"operation":"increment","value":1}""", result.NodeResults["c1"]);
        JsonAssert.Equal("""{"operation":"increment","value":6}""", result.NodeResults["c2"]);
        JsonAssert.Equal("""{"operation":"decrement","value":3.5}""", result.NodeResults["c3"]);
        JsonAssert.Equal("""{"operation":"get","value":3.5}""", result.NodeResults["c4"]);
        JsonAssert.Equal("""{"operation":"reset","value":0}""", result.NodeResults["c5"]);
    }

    [Theory]
    [InlineData("increment", "10", "11")]
    [InlineData("decrement", "10", "9")]
    [InlineData("reset", "10", "10")]
    [InlineData("get", "10", "10")]
    [InlineData("increment", "\"10\"", "1")]
    public async Task A_numeric_initial_value_is_set_before_every_operation(string op, string initial, string expected)
    {
        JsonAssert.Equal($$"""{"operation":"{{op}}","value":{{expected}}}""",
            await _harness.ResultAsync("counter", $$"""{"counter_op":"{{op}}","initial_value":{{initial}}}"""));
    }

    [Fact]
    public async Task An_unknown_operation_fails()
    {
        Assert.Equal("unsupported counter operation: double (use increment, decrement, reset, or get)",
            await _harness.FailureAsync("counter", """{"counter_op":"double"}"""));
    }

    [Fact]
    public void Delta_must_be_a_number()
    {
        Assert.Equal("json: cannot unmarshal string into Go struct field CounterData.delta of type float64",
            _harness.Rejection("counter", """{"counter_op":"increment","delta":"2"}"""));
    }
}
