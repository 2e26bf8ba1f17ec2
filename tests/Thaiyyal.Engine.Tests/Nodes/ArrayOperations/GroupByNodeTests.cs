namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class GroupByNodeTests
{
    private const string Sales = """[{"cat":"A","v":10},{"cat":"B","v":20},{"cat":"A","v":15},{"v":1},{"cat":"B","v":"x"},7]""";
    private const string Groups = """{"<missing>":[{"v":1}],"7":[7],"A":[{"cat":"A","v":10},{"cat":"A","v":15}],"B":[{"cat":"B","v":20},{"cat":"B","v":"x"}]}""";
    private readonly NodeHarness _harness = new();

    [Theory]
    [InlineData("count", "counts", """{"<missing>":1,"7":1,"A":2,"B":2}""")]
    [InlineData("sum", "sums", """{"<missing>":1,"7":0,"A":25,"B":20}""")]
    [InlineData("avg", "averages", """{"<missing>":1,"7":0,"A":12.5,"B":20}""")]
    [InlineData("min", "minimums", """{"<missing>":1,"7":null,"A":10,"B":20}""")]
    [InlineData("max", "maximums", """{"<missing>":1,"7":null,"A":15,"B":20}""")]
    [InlineData("values", "values", Groups)]
    public async Task Aggregates_each_group(string aggregate, string key, string expected)
    {
        var result = await _harness.ResultAsync("group_by", $$"""{"field":"cat","aggregate":"{{aggregate}}","value_field":"v"}""", Sales);
        JsonAssert.Equal($$"""{"groups":{{Groups}},"group_count":4,"input_count":6,"field":"cat","aggregate":"{{aggregate}}","{{key}}":{{expected}}}""", result);
    }

    [Fact]
    public async Task Keys_are_the_generic_text_of_the_value()
    {
        var result = await _harness.ResultAsync("group_by", """{"field":"k"}""", """[{"k":1},{"k":true},{"k":1},{"k":null},{"k":1000000},{"k":[1,"a"]}]""");
        JsonAssert.Equal("""{"1":2,"1e+06":1,"<nil>":1,"[1 a]":1,"true":1}""", JsonAssert.Field(result, "counts"));
    }

    [Fact]
    public async Task Count_is_the_default_aggregate()
    {
        var result = await _harness.ResultAsync("group_by", """{"field":"k","aggregate":""}""", """[{"k":"x"}]""");
        JsonAssert.Equal("""{"groups":{"x":[{"k":"x"}]},"group_count":1,"input_count":1,"field":"k","aggregate":"count","counts":{"x":1}}""", result);
    }

    [Fact]
    public async Task An_empty_array_has_no_groups()
    {
        JsonAssert.Equal("""{"groups":{},"group_count":0,"input_count":0,"field":"k","aggregate":"sum","sums":{}}""",
            await _harness.ResultAsync("group_by", """{"field":"k","aggregate":"sum"}""", "[]"));
    }

    [Fact]
    public async Task An_unknown_aggregate_fails()
    {
        Assert.Equal("unknown aggregate function: median", await _harness.FailureAsync("group_by", """{"field":"k","aggregate":"median"}""", "[]"));
    }

    [Fact]
    public async Task An_empty_field_fails_when_run()
    {
        Assert.Equal("group_by node requires 'field' string", await _harness.FailureAsync("group_by", """{"field":""}""", "[1]"));
    }

    [Fact]
    public void A_missing_field_rejects_the_payload()
    {
        Assert.Equal("missing required field: field", _harness.Rejection("group_by", """{"aggregate":"sum"}"""));
    }
}
