namespace Thaiyyal.Engine.Tests.Nodes.ParallelJoin;

public sealed class SplitNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Repeats_the_first_input_under_each_path()
    {
        JsonAssert.Equal("""{"value":{"a":1},"paths":["left","right"],"outputs":{"left":{"a":1},"right":{"a":1}}}""",
            await _harness.ResultAsync("split", """{"paths":["left","right"]}""", """{"a":1}""", "2"));
    }

    [Fact]
    public async Task A_null_input_is_still_an_input()
    {
        JsonAssert.Equal("""{"value":null,"paths":["p"],"outputs":{"p":null}}""", await _harness.ResultAsync("split", """{"paths":["p"]}""", "null"));
    }

    [Fact]
    public async Task No_input_fails()
    {
        Assert.Equal("split node requires at least one input", await _harness.FailureAsync("split", """{"paths":["p"]}"""));
    }

    [Fact]
    public async Task A_path_handle_never_matches_so_its_target_is_skipped()
    {
        var result = await _harness.RunAsync("""
            {"nodes":[{"id":"v","type":"test_value","data":{"value":1}},
                      {"id":"s","type":"split","data":{"paths":["left"]}},
                      {"id":"t","type":"test_value","data":{"value":2}}],
             "edges":[{"source":"v","target":"s"},{"source":"s","target":"t","sourceHandle":"left"}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        Assert.False(result.NodeResults.ContainsKey("t"));
    }

    [Theory]
    [InlineData("{}", "missing required field: paths")]
    [InlineData("""{"paths":[]}""", "missing required field: paths")]
    [InlineData("""{"paths":["a",1]}""", "json: cannot unmarshal number into Go struct field SplitData.paths of type string")]
    public void Paths_must_be_a_non_empty_list_of_strings(string data, string message)
    {
        Assert.Equal(message, _harness.Rejection("split", data));
    }
}
