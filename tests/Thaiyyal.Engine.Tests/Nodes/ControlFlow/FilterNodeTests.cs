using static Thaiyyal.Engine.Tests.Nodes.ExpressionNodeRunner;
using static Thaiyyal.Engine.Tests.Nodes.Operations.ExpressionNodeTests;

namespace Thaiyyal.Engine.Tests.Nodes.ControlFlow;

public sealed class FilterNodeTests
{
    [Fact]
    public void Keeps_matching_elements() =>
        Assert.Equal("""{"condition":"item.age >= 18","error_count":0,"filtered":[{"age":25},{"age":30}],"input_count":3,"is_array":true,"output_count":2,"skipped_count":1}""",
            ResultJson("filter", """{"condition":"item.age >= 18"}""", """[{"age":25},{"age":15},{"age":30}]"""));

    [Theory]
    [InlineData("""{"range":[1,2,3,4]}""")]
    [InlineData("""{"array":[1,2,3,4]}""")]
    [InlineData("""{"items":[1,2,3,4]}""")]
    [InlineData("""{"data":[1,2,3,4]}""")]
    [InlineData("""{"values":[1,2,3,4]}""")]
    [InlineData("""{"range":"no","values":[1,2,3,4]}""")]
    public void Unwraps_arrays_held_by_known_keys(string input) =>
        Assert.Contains("\"filtered\":[2,4]", ResultJson("filter", """{"condition":"variables.item % 2 == 0"}""", input), StringComparison.Ordinal);

    [Fact]
    public void Binds_index_as_a_number() =>
        Assert.Contains("\"filtered\":[\"b\",\"c\"]", ResultJson("filter", """{"condition":"index >= 1"}""", """["a","b","c"]"""), StringComparison.Ordinal);

    [Fact]
    public void Passes_a_non_array_through() =>
        Assert.Equal("""{"filtered":5,"input":5,"is_array":false,"original_type":"float64","warning":"input is not an array, passed through unchanged"}""",
            ResultJson("filter", """{"condition":"item > 1"}""", "5"));

    [Fact]
    public void Counts_elements_whose_condition_fails()
    {
        var result = ResultJson("filter", """{"condition":"item.n * 2 > 2"}""", """[{"n":5},{"n":"x"},{"n":0},{}]""");
        Assert.Contains("\"error_count\":1", result, StringComparison.Ordinal);
        Assert.Contains("\"filtered\":[{\"n\":5}]", result, StringComparison.Ordinal);
        Assert.Contains("\"skipped_count\":3", result, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_condition_counts_as_an_error_for_every_element() =>
        Assert.Contains("\"error_count\":2", ResultJson("filter", """{"condition":"item >"}""", "[1,2]"), StringComparison.Ordinal);

    [Fact]
    public void Errors()
    {
        Assert.Equal("error executing node n: filter node missing condition expression", ErrorMessage("filter", """{"condition":""}""", "[1]"));
        Assert.Equal("error executing node n: filter node needs at least 1 input", ErrorMessage("filter", """{"condition":"item"}"""));
        Assert.Contains("missing required field: condition", ErrorMessage("filter", "{}", "[1]"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("item.age > 1", true)]
    [InlineData("age > 1", false)]
    public void Is_independent_unless_it_reads_shared_state(string condition, bool expected) =>
        Assert.Equal(expected, IsIndependent("filter", $$"""{"condition":{{Quote(condition)}}}"""));
}
