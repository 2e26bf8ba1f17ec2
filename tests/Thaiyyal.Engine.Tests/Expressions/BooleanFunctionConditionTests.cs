using Thaiyyal.Engine.Tests.Nodes;
using static Thaiyyal.Engine.Tests.Nodes.ExpressionNodeRunner;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>A function call used as a condition must give a boolean (expressions.md §7 step 5), in every node that evaluates conditions.</summary>
public sealed class BooleanFunctionConditionTests
{
    private const string NotBoolean = "function abs() did not return a boolean value";

    [Fact]
    public void Filter_counts_the_element_in_error_count()
    {
        var json = ResultJson("filter", """{"condition":"abs(item)"}""", "[1,-2,3]");
        Assert.Contains("\"error_count\":3", json, StringComparison.Ordinal);
        Assert.Contains("\"filtered\":[]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_still_accepts_functions_that_give_booleans()
    {
        var json = ResultJson("filter", """{"condition":"isNull(item.email)"}""", """[{"email":null},{"email":"a"}]""");
        Assert.Contains("\"error_count\":0", json, StringComparison.Ordinal);
        Assert.Contains("\"output_count\":1", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("condition", """{"condition":"abs(input)"}""", "condition evaluation failed: ")]
    [InlineData("find", """{"condition":"abs(item)"}""", "find condition evaluation failed at index 0: ")]
    [InlineData("partition", """{"condition":"abs(item)"}""", "partition condition evaluation failed at index 0: ")]
    [InlineData("switch", """{"cases":[{"when":"abs(input)","output_path":"a"},{"when":"default","output_path":"d","is_default":true}]}""", "switch case 0 evaluation failed: ")]
    public void Other_condition_nodes_fail_naming_the_function(string type, string data, string prefix)
    {
        var input = type is "find" or "partition" ? "[-1]" : "-1";
        Assert.StartsWith($"error executing node n: {prefix}{NotBoolean}", ErrorMessage(type, data, input), StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_loop_with_a_body_fails_naming_the_function()
    {
        var result = await ScopeTestSupport.RunAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':-1}},{'id':'w','type':'while_loop','data':{'condition':'abs(input)'}},
                      {'id':'sq','type':'test_square','parentId':'w','data':{}}],
             'edges':[{'source':'in','target':'w'}]}
            """);
        Assert.StartsWith($"error executing node w: while_loop condition evaluation failed: {NotBoolean}", ScopeTestSupport.Error(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("!abs(input)")]
    [InlineData("abs(input) && true")]
    [InlineData("false || abs(input)")]
    public void The_rule_holds_inside_logic_too(string condition)
    {
        Assert.Contains(NotBoolean, ErrorMessage("condition", $$"""{"condition":"{{condition}}"}""", "-1"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_inside_a_comparison_is_not_affected() =>
        Assert.Contains("\"condition_met\":true", ResultJson("condition", """{"condition":"abs(input) == 1"}""", "-1"), StringComparison.Ordinal);
}
