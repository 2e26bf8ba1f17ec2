namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class SortNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Sorts_numbers_ascending_by_default()
    {
        JsonAssert.Equal("""{"sorted":[1,1.5,2,3],"count":4,"field":"","order":"asc"}""", await _harness.ResultAsync("sort", "{}", "[3,1,2,1.5]"));
    }

    [Fact]
    public async Task Mixed_values_order_null_first_then_by_kind_rules()
    {
        var result = await _harness.ResultAsync("sort", "{}", """[true,"b",null,2,false,"a",1]""");
        // null first; numbers and strings compare within their kind; mixed pairs by generic text.
        JsonAssert.Equal("""[null,1,2,"a","b",false,true]""", JsonAssert.Field(result, "sorted"));
    }

    [Fact]
    public async Task Descending_is_the_reversed_stable_ascending_sort()
    {
        var result = await _harness.ResultAsync("sort", """{"field":"s","order":"DESC"}""",
            """[{"n":"a","s":2},{"n":"b","s":3},{"n":"c","s":2},{"n":"d"},{"n":"e","s":3},"x"]""");
        JsonAssert.Equal("""{"sorted":[{"n":"e","s":3},{"n":"b","s":3},{"n":"c","s":2},{"n":"a","s":2},"x",{"n":"d"}],"count":6,"field":"s","order":"desc"}""", result);
    }

    [Fact]
    public async Task Ascending_keeps_ties_in_input_order()
    {
        var result = await _harness.ResultAsync("sort", """{"field":"k"}""", """[{"k":1,"i":0},{"k":0,"i":1},{"k":1,"i":2},{"k":0,"i":3}]""");
        JsonAssert.Equal("""[{"k":0,"i":1},{"k":0,"i":3},{"k":1,"i":0},{"k":1,"i":2}]""", JsonAssert.Field(result, "sorted"));
    }

    [Theory]
    [InlineData("ZZZ", "zzz")]
    [InlineData("", "asc")]
    [InlineData("Asc", "asc")]
    public async Task Any_order_but_desc_sorts_ascending_and_is_echoed_lower_cased(string order, string echoed)
    {
        var result = await _harness.ResultAsync("sort", $$"""{"order":"{{order}}"}""", "[2,1]");
        JsonAssert.Equal($$"""{"sorted":[1,2],"count":2,"field":"","order":"{{echoed}}"}""", result);
    }

    [Fact]
    public async Task Strings_sort_ordinally()
    {
        var result = await _harness.ResultAsync("sort", "{}", """["b","B","a","A","10","9"]""");
        JsonAssert.Equal("""["10","9","A","B","a","b"]""", JsonAssert.Field(result, "sorted"));
    }

    [Fact]
    public async Task An_empty_array_sorts_to_an_empty_array()
    {
        JsonAssert.Equal("""{"sorted":[],"count":0,"field":"","order":"asc"}""", await _harness.ResultAsync("sort", "{}", "[]"));
    }
}
