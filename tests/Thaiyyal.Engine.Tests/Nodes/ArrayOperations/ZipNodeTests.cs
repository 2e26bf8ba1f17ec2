using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class ZipNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Zips_the_input_with_the_configured_arrays_padding_with_fill_missing()
    {
        var result = await _harness.ResultAsync("zip", """{"arrays":[["a","b"],"skip",[true]],"fill_missing":0}""", "[1,2,3]");
        JsonAssert.Equal("""{"zipped":[[1,"a",true],[2,"b",0],[3,0,0]],"array_count":3,"tuple_count":3,"max_length":3}""", result);
    }

    [Fact]
    public async Task Padding_defaults_to_null()
    {
        var result = await _harness.ResultAsync("zip", """{"arrays":[[1,2]]}""", "[]");
        JsonAssert.Equal("""{"zipped":[[null,1],[null,2]],"array_count":2,"tuple_count":2,"max_length":2}""", result);
    }

    [Fact]
    public async Task Needs_no_input_when_arrays_are_configured_and_ignores_a_non_array_input()
    {
        var expected = """{"zipped":[[1],[2]],"array_count":1,"tuple_count":2,"max_length":2}""";
        JsonAssert.Equal(expected, await _harness.ResultAsync("zip", """{"arrays":[[1,2]]}"""));
        JsonAssert.Equal(expected, await _harness.ResultAsync("zip", """{"arrays":[[1,2]]}""", "\"text\""));
    }

    [Fact]
    public async Task Only_empty_arrays_give_a_nil_array()
    {
        JsonAssert.Equal("""{"zipped":null,"array_count":2,"tuple_count":0,"max_length":0}""",
            await _harness.ResultAsync("zip", """{"arrays":[[]]}""", "[]"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"arrays":[1,"x"]}""")]
    public async Task No_array_at_all_fails(string data)
    {
        Assert.Equal("zip node requires at least one array", await _harness.FailureAsync("zip", data, "5"));
        Assert.Equal("zip node requires at least one array", await _harness.FailureAsync("zip", data));
    }

    [Fact]
    public async Task Remove_empty_is_accepted_and_has_no_effect()
    {
        var result = await _harness.ResultAsync("zip", """{"remove_empty":true}""", "[1,null]");
        JsonAssert.Equal("""[[1],[null]]""", JsonAssert.Field(result, "zipped"));
    }

    [Fact]
    public async Task More_tuples_than_the_array_limit_fail_cleanly()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxArrayLength = 2 });
        Assert.Equal("zip would produce 3 elements (limit: 2)", await harness.FailureAsync("zip", """{"arrays":[[1,2,3]]}"""));
    }
}
