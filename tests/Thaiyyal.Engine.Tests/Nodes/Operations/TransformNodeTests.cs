using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Engine.Tests.Nodes.Operations;

public sealed class TransformNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task To_array_lists_every_input()
    {
        JsonAssert.Equal("""[1,"a",null]""", await _harness.ResultAsync("transform", """{"transform_type":"to_array"}""", "1", "\"a\"", "null"));
    }

    [Fact]
    public async Task To_object_pairs_keys_with_values_dropping_a_trailing_element()
    {
        JsonAssert.Equal("""{"a":3,"b":[2]}""", await _harness.ResultAsync("transform", """{"transform_type":"to_object"}""", """["a",1,"b",[2],"a",3,"z"]"""));
    }

    [Fact]
    public async Task Flatten_is_recursive()
    {
        JsonAssert.Equal("""[1,2,3,{"a":[4]},5]""", await _harness.ResultAsync("transform", """{"transform_type":"flatten"}""", """[1,[2,[3,[]]],{"a":[4]},[[[5]]]]"""));
    }

    [Fact]
    public async Task Flatten_of_nothing_is_a_nil_array()
    {
        JsonAssert.Equal("null", await _harness.ResultAsync("transform", """{"transform_type":"flatten"}""", "[[],[[]]]"));
    }

    [Fact]
    public async Task Flatten_beyond_the_array_limit_fails_cleanly()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxArrayLength = 3 });
        Assert.Equal("flatten would produce 4 elements (limit: 3)", await harness.FailureAsync("transform", """{"transform_type":"flatten"}""", "[[1,2],[3,4]]"));
    }

    [Fact]
    public async Task Keys_and_values_follow_ordinal_key_order()
    {
        const string obj = """{"zeta":1,"mid":2,"alpha":3,"Beta":4}""";
        JsonAssert.Equal("""["Beta","alpha","mid","zeta"]""", await _harness.ResultAsync("transform", """{"transform_type":"keys"}""", obj));
        JsonAssert.Equal("[4,3,2,1]", await _harness.ResultAsync("transform", """{"transform_type":"values"}""", obj));
    }

    [Theory]
    [InlineData("to_object", "{}", "to_object requires array input, got map[string]interface {}")]
    [InlineData("to_object", """["a",1,2,3]""", "to_object requires string keys at index 2")]
    [InlineData("flatten", "\"x\"", "flatten requires array input, got string")]
    [InlineData("keys", "[1]", "keys transform requires object input, got []interface {}")]
    [InlineData("values", "null", "values transform requires object input, got <nil>")]
    [InlineData("reverse", "[1]", "unsupported transform type: reverse")]
    public async Task Wrong_inputs_and_types_fail(string type, string input, string message)
    {
        Assert.Equal(message, await _harness.FailureAsync("transform", $$"""{"transform_type":"{{type}}"}""", input));
    }

    [Fact]
    public async Task No_input_fails()
    {
        Assert.Equal("transform node requires input", await _harness.FailureAsync("transform", """{"transform_type":"to_array"}"""));
    }

    [Fact]
    public void Transform_type_is_required()
    {
        Assert.Equal("missing required field: transform_type", _harness.Rejection("transform", "{}"));
    }
}
