namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class SliceNodeTests
{
    private readonly NodeHarness _harness = new();

    [Theory]
    [InlineData("""{"start":1,"end":3}""", "[2,3]", 1, 3)]
    [InlineData("""{"start":-2}""", "[4,5]", 3, 5)]
    [InlineData("""{"start":1,"length":2}""", "[2,3]", 1, 3)]
    [InlineData("""{"start":0,"end":-1}""", "[1,2,3,4]", 0, 4)]
    [InlineData("""{"start":-100,"end":100}""", "[1,2,3,4,5]", 0, 5)]
    [InlineData("""{"start":4,"end":2}""", "[]", 2, 2)]
    [InlineData("""{"start":1.9,"end":3.7}""", "[2,3]", 1, 3)]
    [InlineData("""{"start":"1","end":true}""", "[1,2,3,4,5]", 0, 5)]
    [InlineData("""{"end":2,"length":1}""", "[1,2]", 0, 2)]
    [InlineData("{}", "[1,2,3,4,5]", 0, 5)]
    public async Task Slices_with_clamped_and_negative_bounds(string data, string sliced, int start, int end)
    {
        var result = await _harness.ResultAsync("slice", data, "[1,2,3,4,5]");
        JsonAssert.Equal($$"""{"sliced":{{sliced}},"input_count":5,"output_count":{{ValueCount(sliced)}},"start":{{start}},"end":{{end}}}""", result);
    }

    [Fact]
    public async Task An_empty_array_slices_to_an_empty_array()
    {
        JsonAssert.Equal("""{"sliced":[],"input_count":0,"output_count":0,"start":0,"end":0}""", await _harness.ResultAsync("slice", """{"start":-3}""", "[]"));
    }

    [Fact]
    public async Task A_huge_length_saturates_instead_of_overflowing()
    {
        var result = await _harness.ResultAsync("slice", """{"start":2,"length":1e300}""", "[1,2,3,4,5]");
        JsonAssert.Equal("[3,4,5]", JsonAssert.Field(result, "sliced"));
    }

    private static int ValueCount(string array) => Engine.Workflows.ValueJson.Parse(array).AsArray().Count;
}
