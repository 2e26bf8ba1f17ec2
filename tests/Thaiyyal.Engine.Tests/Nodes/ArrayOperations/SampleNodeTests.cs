namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class SampleNodeTests
{
    private readonly NodeHarness _harness = new();

    [Theory]
    [InlineData("first", "2", "[5,6]")]
    [InlineData("last", "2", "[8,9]")]
    [InlineData("first", "2.7", "[5,6]")]
    [InlineData("last", "50", "[5,6,7,8,9]")]
    [InlineData("random", "5", "[5,6,7,8,9]")]
    [InlineData("random", "9", "[5,6,7,8,9]")]
    public async Task Picks_first_last_or_everything_in_order(string method, string count, string expected)
    {
        var result = await _harness.ResultAsync("sample", $$"""{"count":{{count}},"method":"{{method}}"}""", "[5,6,7,8,9]");
        var n = Engine.Workflows.ValueJson.Parse(expected).AsArray().Count;
        JsonAssert.Equal($$"""{"sample":{{expected}},"input_count":5,"output_count":{{n}},"method":"{{method}}"}""", result);
    }

    [Fact]
    public async Task Random_picks_count_distinct_elements_of_the_input()
    {
        for (var run = 0; run < 20; run++)
        {
            var result = (await _harness.ResultAsync("sample", """{"count":3}""", "[1,2,3,4,5,6,7,8]")).AsObject();
            Assert.Equal("random", result["method"].AsString());
            Assert.Equal(3, result["output_count"].AsNumber());
            var picked = result["sample"].AsArray().Select(v => v.AsNumber()).ToList();
            Assert.Equal(3, picked.Distinct().Count());
            Assert.All(picked, p => Assert.InRange(p, 1, 8));
        }
    }

    [Fact]
    public async Task A_count_that_is_not_a_number_means_one()
    {
        var result = await _harness.ResultAsync("sample", """{"count":"many","method":"first"}""", "[1,2,3]");
        JsonAssert.Equal("[1]", JsonAssert.Field(result, "sample"));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("-2", -2)]
    public async Task A_count_below_one_fails(string count, int shown)
    {
        Assert.Equal($"sample count must be greater than 0, got {shown}", await _harness.FailureAsync("sample", $$"""{"count":{{count}}}""", "[1]"));
    }

    [Theory]
    [InlineData("\"\"", "")]
    [InlineData("\"middle\"", "middle")]
    public async Task An_unknown_or_empty_method_fails(string method, string shown)
    {
        Assert.Equal($"unknown sample method: {shown} (must be 'random', 'first', or 'last')",
            await _harness.FailureAsync("sample", $$"""{"count":1,"method":{{method}}}""", "[1]"));
    }

    [Fact]
    public async Task A_null_method_means_random()
    {
        var result = await _harness.ResultAsync("sample", """{"count":2,"method":null}""", "[1,2]");
        JsonAssert.Equal("""{"sample":[1,2],"input_count":2,"output_count":2,"method":"random"}""", result);
    }

    [Fact]
    public void Count_is_required()
    {
        Assert.Equal("missing required field: count", _harness.Rejection("sample", """{"method":"first"}"""));
    }
}
