using static Thaiyyal.Engine.Tests.Nodes.ExpressionNodeRunner;

namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class FindNodeTests
{
    [Fact]
    public void Finds_the_first_match_with_its_index() =>
        Assert.Equal("""{"condition":"item.id >= 2","found":{"id":2},"index":1}""",
            ResultJson("find", """{"condition":"item.id >= 2","return_index":true}""", """[{"id":1},{"id":2},{"id":3}]"""));

    [Fact]
    public void Finds_without_index_by_default() =>
        Assert.Equal("""{"condition":"item == 'b'","found":"b"}""", ResultJson("find", """{"condition":"item == 'b'"}""", """["a","b"]"""));

    [Fact]
    public void Binds_index_as_an_integer_and_items() =>
        Assert.Contains("\"found\":\"c\"", ResultJson("find", """{"condition":"index == items.length - 1"}""", """["a","b","c"]"""), StringComparison.Ordinal);

    [Fact]
    public void Reports_no_match() =>
        Assert.Equal("""{"condition":"item.id == 9","found":null,"input_count":2,"not_found":true}""",
            ResultJson("find", """{"condition":"item.id == 9"}""", """[{"id":1},{"id":2}]"""));

    [Fact]
    public void A_non_array_gives_an_error_object() =>
        Assert.Equal("""{"error":"input is not an array","input":{"range":[1]},"original_type":"map[string]interface {}"}""",
            ResultJson("find", """{"condition":"item > 0"}""", """{"range":[1]}"""));

    [Fact]
    public void Errors()
    {
        Assert.Equal("error executing node n: find node needs at least 1 input", ErrorMessage("find", """{"condition":"item"}"""));
        Assert.Equal("error executing node n: find node missing required 'condition' string", ErrorMessage("find", """{"condition":""}""", "[1]"));
        Assert.Contains("missing required field: condition", ErrorMessage("find", """{"expression":"item.id == 1"}""", "[1]"), StringComparison.Ordinal);
        Assert.Equal("error executing node n: find condition evaluation failed at index 1: value 'x' at 'item' cannot be converted to number (in expression \"item * 1 > 5\" at column 1)",
            ErrorMessage("find", """{"condition":"item * 1 > 5"}""", """[1,"x",9]"""));
    }
}
