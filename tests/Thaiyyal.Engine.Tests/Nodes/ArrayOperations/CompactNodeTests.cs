namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class CompactNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Removes_nulls_but_keeps_empty_strings_by_default()
    {
        JsonAssert.Equal("""{"compacted":[1,"",0,false,[],{}],"input_count":7,"output_count":6,"removed":1}""",
            await _harness.ResultAsync("compact", "{}", """[1,null,"",0,false,[],{}]"""));
    }

    [Fact]
    public async Task Remove_empty_also_drops_empty_strings()
    {
        JsonAssert.Equal("""{"compacted":[1,2," "],"input_count":5,"output_count":3,"removed":2}""",
            await _harness.ResultAsync("compact", """{"remove_empty":true}""", """[1,null,"",2," "]"""));
    }

    [Fact]
    public async Task Nothing_left_is_a_nil_array()
    {
        JsonAssert.Equal("""{"compacted":null,"input_count":2,"output_count":0,"removed":2}""",
            await _harness.ResultAsync("compact", "{}", "[null,null]"));
    }

    [Fact]
    public void Remove_empty_must_be_a_boolean()
    {
        Assert.Equal("json: cannot unmarshal string into Go struct field CompactData.remove_empty of type bool",
            _harness.Rejection("compact", """{"remove_empty":"yes"}"""));
    }
}
