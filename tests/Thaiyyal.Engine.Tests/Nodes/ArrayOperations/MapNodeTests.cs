using static Thaiyyal.Engine.Tests.Nodes.ExpressionNodeRunner;
using static Thaiyyal.Engine.Tests.Nodes.Operations.ExpressionNodeTests;

namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class MapNodeTests
{
    [Theory]
    [InlineData("item * 2", "[1,2,3]", """{"failed":0,"input_count":3,"output_count":3,"results":[2,4,6],"successful":3}""")]
    [InlineData("index + items.length", "[7,7]", """{"failed":0,"input_count":2,"output_count":2,"results":[2,3],"successful":2}""")]
    [InlineData("item > 1", "[1,2]", """{"failed":0,"input_count":2,"output_count":2,"results":[false,true],"successful":2}""")]
    [InlineData("item.name", """[{"name":"A"},{"x":1}]""", """{"failed":1,"input_count":2,"output_count":2,"results":["A",null],"successful":1}""")]
    [InlineData("frobnicate(item)", "[1,2]", """{"failed":2,"input_count":2,"output_count":2,"results":[null,null],"successful":0}""")]
    public void Maps_with_an_expression(string expression, string input, string expected) =>
        Assert.Equal(expected, ResultJson("map", $$"""{"expression":{{Quote(expression)}}}""", input));

    [Fact]
    public void Maps_with_a_field_which_wins_over_the_expression() =>
        Assert.Equal("""{"failed":2,"input_count":3,"output_count":3,"results":["A",null,null],"successful":1}""",
            ResultJson("map", """{"field":"name","expression":"item * 2"}""", """[{"name":"A"},{"x":1},5]"""));

    [Fact]
    public void Without_a_transformation_passes_the_array_on() =>
        Assert.Equal("""{"input_count":2,"output_count":2,"results":[1,2],"warning":"no transformation specified"}""",
            ResultJson("map", """{"expression":"","field":""}""", "[1,2]"));

    [Fact]
    public void Errors()
    {
        Assert.Equal("error executing node n: map node needs at least 1 input", ErrorMessage("map", """{"expression":"item"}"""));
        Assert.Equal("error executing node n: map node requires array input, got map[string]interface {}",
            ErrorMessage("map", """{"expression":"item"}""", """{"range":[1]}"""));
    }

    [Theory]
    [InlineData("""{"field":"x"}""", true)]
    [InlineData("""{"expression":"item * 2"}""", true)]
    [InlineData("""{"expression":"item * variables.k"}""", false)]
    public void Is_independent_unless_it_reads_shared_state(string data, bool expected) => Assert.Equal(expected, IsIndependent("map", data));
}
