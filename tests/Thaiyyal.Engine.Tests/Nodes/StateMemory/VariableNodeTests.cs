using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Engine.Tests.Nodes.StateMemory;

public sealed class VariableNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Set_stores_the_input_and_get_reads_it_back()
    {
        var result = await _harness.RunAsync("""
            {"nodes":[
              {"id":"v","type":"test_value","data":{"value":{"a":[1,2]}}},
              {"id":"set","type":"variable","data":{"var_name":"x","var_op":"set"}},
              {"id":"get","type":"variable","data":{"var_name":"x","var_op":"get","scope":"global"}}],
             "edges":[{"source":"v","target":"set"},{"source":"set","target":"get"}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        JsonAssert.Equal("""{"var_name":"x","operation":"set","value":{"a":[1,2]}}""", result.NodeResults["set"]);
        JsonAssert.Equal("""{"var_name":"x","operation":"get","value":{"a":[1,2]}}""", result.NodeResults["get"]);
    }

    [Fact]
    public async Task Set_stores_null_as_a_value()
    {
        JsonAssert.Equal("""{"var_name":"x","operation":"set","value":null}""", await _harness.ResultAsync("variable", """{"var_name":"x","var_op":"set"}""", "null"));
    }

    [Fact]
    public async Task Set_without_input_fails()
    {
        Assert.Equal("variable set operation requires input value", await _harness.FailureAsync("variable", """{"var_name":"x","var_op":"set"}"""));
    }

    [Fact]
    public async Task Get_of_an_unknown_name_fails()
    {
        Assert.Equal("variable 'nope' not found", await _harness.FailureAsync("variable", """{"var_name":"nope","var_op":"get"}"""));
    }

    [Fact]
    public async Task Other_operations_fail()
    {
        Assert.Equal("unsupported variable operation: delete (use 'get' or 'set')", await _harness.FailureAsync("variable", """{"var_name":"x","var_op":"delete"}""", "1"));
    }

    [Theory]
    [InlineData("\"abcdef\"", "variable validation failed: string too long: 6 bytes (limit: 5)")]
    [InlineData("[1,2,3,4,5,6]", "variable validation failed: array too large: 6 elements (limit: 5)")]
    [InlineData("""["ok","toolong"]""", "variable validation failed: array element 1: string too long: 7 bytes (limit: 5)")]
    [InlineData("[[[[1]]]]", "variable validation failed: value too deeply nested: 5 levels (limit: 4)")]
    public async Task Set_checks_the_value_against_the_limits(string value, string message)
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxStringLength = 5, MaxArrayLength = 5, MaxContextDepth = 4 });
        Assert.Equal(message, await harness.FailureAsync("variable", """{"var_name":"x","var_op":"set"}""", value));
    }

    [Fact]
    public async Task Strings_inside_objects_are_only_depth_checked()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxStringLength = 5 });
        await harness.ResultAsync("variable", """{"var_name":"x","var_op":"set"}""", """{"s":"much longer than five"}""");
    }

    [Fact]
    public async Task A_new_name_beyond_max_variables_fails_but_existing_names_can_be_set_again()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxVariables = 2 });
        var workflow = """
            {"nodes":[
              {"id":"v","type":"test_value","data":{"value":1}},
              {"id":"a","type":"variable","data":{"var_name":"a","var_op":"set"}},
              {"id":"b","type":"variable","data":{"var_name":"b","var_op":"set"}},
              {"id":"a2","type":"variable","data":{"var_name":"a","var_op":"set"}},
              {"id":"c","type":"variable","data":{"var_name":"c","var_op":"set"}}],
             "edges":[{"source":"v","target":"a"},{"source":"a","target":"b"},{"source":"b","target":"a2"},{"source":"a2","target":"c"}]}
            """;
        var result = await harness.RunAsync(workflow);
        Assert.False(result.Success);
        Assert.Equal("c", result.Error!.NodeId);
        Assert.Equal("maximum variables exceeded: 2 (limit: 2)", result.Error.Cause);
        Assert.Equal(ExecutionErrorKind.LimitExceeded, result.Error.Kind);
    }

    [Theory]
    [InlineData("""{"var_op":"get"}""", "missing required field: var_name")]
    [InlineData("""{"var_name":"x"}""", "missing required field: var_op")]
    [InlineData("{}", "missing required field: var_name")]
    public void Name_then_operation_are_required(string data, string message)
    {
        Assert.Equal(message, _harness.Rejection("variable", data));
    }

    [Fact]
    public async Task An_empty_name_is_a_usable_name()
    {
        var result = await _harness.ResultAsync("variable", """{"var_name":"","var_op":"set"}""", "7");
        JsonAssert.Equal("""{"var_name":"","operation":"set","value":7}""", result);
    }
}
