using static Thaiyyal.Engine.Tests.Nodes.ExpressionNodeRunner;

namespace Thaiyyal.Engine.Tests.Nodes.Operations;

public sealed class ExpressionNodeTests
{
    [Theory]
    [InlineData("input * 2", "5", "10")]
    [InlineData("item.age + 1", """{"age":30}""", "31")]
    [InlineData("input > 5", "7", "true")]
    [InlineData("round(avg(map(input, item.age)))", """[{"age":31},{"age":29},{"age":40}]""", "33")]
    [InlineData("null", "1", "null")]
    [InlineData("input.name.toUpperCase()", """{"name":"ada"}""", "\"ADA\"")]
    public void Evaluates_against_the_first_input(string expression, string input, string expected) =>
        Assert.Equal(expected, ResultJson("expression", $$"""{"expression":{{Quote(expression)}}}""", input, "99"));

    [Fact]
    public void Empty_expression_passes_the_input_on_with_a_warning() =>
        Assert.Equal("""{"result":4,"warning":"no expression specified"}""", ResultJson("expression", """{"expression":""}""", "4"));

    [Fact]
    public void Needs_an_input()
    {
        Assert.Equal("error executing node n: expression node needs at least 1 input", ErrorMessage("expression", """{"expression":"1 + 2"}"""));
        Assert.Equal("error executing node n: expression node needs at least 1 input", ErrorMessage("expression", """{"expression":""}"""));
    }

    [Theory]
    [InlineData("foo(1)", "expression evaluation failed: unknown function: foo (in expression \"foo(1)\" at column 1)")]
    [InlineData("now()", null)]
    [InlineData("item.missing", "expression evaluation failed: field not found: missing (in expression \"item.missing\" at column 6)")]
    [InlineData("2 * 'x'", "expression evaluation failed: value 'x' at ''x'' cannot be converted to number (in expression \"2 * 'x'\" at column 5)")]
    [InlineData("1 +", "expression evaluation failed: unexpected end of expression (in expression \"1 +\" at column 4)")]
    public void Failures_name_the_expression_and_column(string expression, string? expected)
    {
        var result = RunNode("expression", $$"""{"expression":{{Quote(expression)}}}""", "{}");
        if (expected is null)
        {
            Assert.True(result.Success);
            return;
        }
        Assert.Equal($"error executing node n: {expected}", result.Error!.Message);
        Assert.Equal(expected, result.Error.Cause);
    }

    [Fact]
    public void Missing_expression_is_rejected_at_decode() =>
        Assert.Contains("missing required field: expression", ErrorMessage("expression", "{}", "1"), StringComparison.Ordinal);

    [Fact]
    public void Reads_variables_and_node_results()
    {
        var result = Run("""
            {"nodes":[
              {"id":"base","type":"test_value","data":{"value":3}},
              {"id":"set","type":"test_set_variable","data":{"name":"base"}},
              {"id":"qty","type":"test_value","data":{"value":4}},
              {"id":"x","type":"expression","data":{"expression":"variables.base * input + node.qty"}}],
             "edges":[{"source":"base","target":"set"},{"source":"set","target":"x"},{"source":"qty","target":"x"}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        Assert.Equal(3 * 3 + 4, result.NodeResults["x"].AsNumber());
    }

    [Theory]
    [InlineData("input * 2", true)]
    [InlineData("", true)]
    [InlineData("variables.x", false)]
    [InlineData("node.a.value", false)]
    [InlineData("foo(", true)]
    public void Is_independent_unless_it_reads_shared_state(string expression, bool expected) =>
        Assert.Equal(expected, IsIndependent("expression", $$"""{"expression":{{Quote(expression)}}}"""));

    internal static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
