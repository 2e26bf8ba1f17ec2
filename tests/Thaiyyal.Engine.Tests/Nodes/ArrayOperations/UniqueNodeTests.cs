namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class UniqueNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Compares_elements_by_their_text_so_1_and_quoted_1_collide()
    {
        JsonAssert.Equal("""{"unique":[1,2,3,{"a":1}],"input_count":7,"output_count":4,"removed":3}""",
            await _harness.ResultAsync("unique", "{}", """[1,2,2,"1",3,{"a":1},{"a":1}]"""));
    }

    [Fact]
    public async Task By_field_keeps_the_first_and_always_keeps_elements_without_the_field()
    {
        var result = await _harness.ResultAsync("unique", """{"field":"id"}""", """[{"id":1,"v":"a"},{"v":"b"},{"id":1,"v":"c"},{"v":"b"},"s","s"]""");
        JsonAssert.Equal("""{"unique":[{"id":1,"v":"a"},{"v":"b"},{"v":"b"},"s"],"input_count":6,"output_count":4,"removed":2}""", result);
    }

    [Fact]
    public async Task An_empty_array_is_a_nil_array()
    {
        JsonAssert.Equal("""{"unique":null,"input_count":0,"output_count":0,"removed":0}""", await _harness.ResultAsync("unique", "{}", "[]"));
    }
}
