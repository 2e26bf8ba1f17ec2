using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class RangeNodeTests
{
    private readonly NodeHarness _harness = new();

    [Theory]
    [InlineData("""{"start":1,"end":10,"step":2}""", "[1,3,5,7,9]", 1, 10, 2)]
    [InlineData("""{"start":10,"end":0,"step":-5}""", "[10,5,0]", 10, 0, -5)]
    [InlineData("""{"start":0,"end":1,"step":0.25}""", "[0,0.25,0.5,0.75,1]", 0, 1, 0.25)]
    [InlineData("""{"start":3,"end":3}""", "[3]", 3, 3, 1)]
    [InlineData("""{"start":"a","end":"b","step":"c"}""", "[0,1,2,3,4,5,6,7,8,9,10]", 0, 10, 1)]
    public async Task Generates_an_inclusive_sequence(string data, string numbers, double start, double end, double step)
    {
        var result = await _harness.ResultAsync("range", data);
        var count = Engine.Workflows.ValueJson.Parse(numbers).AsArray().Count;
        JsonAssert.Equal($$"""{"range":{{numbers}},"count":{{count}},"start":{{start}},"end":{{end}},"step":{{step}}}""", result);
    }

    [Fact]
    public async Task Fractional_steps_accumulate_by_repeated_addition()
    {
        var result = await _harness.ResultAsync("range", """{"start":0,"end":0.3,"step":0.1}""");
        // 0.1+0.1+0.1 = 0.30000000000000004 > 0.3, so the end is not reached.
        JsonAssert.Equal("[0,0.1,0.2]", JsonAssert.Field(result, "range"));
    }

    [Theory]
    [InlineData("""{"start":1,"end":5,"step":0}""", "range step cannot be 0")]
    [InlineData("""{"start":5,"end":1}""", "range with positive step requires start <= end, got start=5 end=1")]
    [InlineData("""{"start":1,"end":5,"step":-1}""", "range with negative step requires start >= end, got start=1 end=5")]
    [InlineData("""{"start":0.5,"end":1000000,"step":-1}""", "range with negative step requires start >= end, got start=0.5 end=1e+06")]
    [InlineData("""{"start":1,"end":10000}""", "range would generate more than 10000 items, adjust start/end/step")]
    [InlineData("""{"start":0,"end":1,"step":1e-300}""", "range would generate more than 10000 items, adjust start/end/step")]
    public async Task Bad_ranges_fail(string data, string message)
    {
        Assert.Equal(message, await _harness.FailureAsync("range", data));
    }

    [Fact]
    public async Task Just_under_ten_thousand_items_is_allowed()
    {
        var result = await _harness.ResultAsync("range", """{"start":1,"end":9999}""");
        Assert.Equal(9999, JsonAssert.Field(result, "count").AsNumber());
    }

    [Fact]
    public async Task A_smaller_array_limit_also_applies()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxArrayLength = 5 });
        Assert.Equal("range would produce 6 elements (limit: 5)", await harness.FailureAsync("range", """{"start":0,"end":5}"""));
    }

    [Theory]
    [InlineData("""{"start":1}""")]
    [InlineData("""{"end":1}""")]
    [InlineData("""{"start":null,"end":1}""")]
    public void Start_and_end_are_required(string data)
    {
        Assert.Equal("missing required field: start and end", _harness.Rejection("range", data));
    }
}
