using Thaiyyal.Engine.Nodes.ControlFlow;
using static Thaiyyal.Engine.Tests.Nodes.ExpressionNodeRunner;
using static Thaiyyal.Engine.Tests.Nodes.Operations.ExpressionNodeTests;

namespace Thaiyyal.Engine.Tests.Nodes.ControlFlow;

public sealed class ConditionNodeTests
{
    [Fact]
    public void Reports_the_active_branch() =>
        Assert.Equal("""{"condition":">=18","condition_met":true,"false_path":false,"path":"true","true_path":true,"value":25}""",
            ResultJson("condition", """{"condition":">=18"}""", "25"));

    [Theory]
    [InlineData(">=80", """{"value":85,"other":1}""", true)]
    [InlineData("input > 10 && input < 20", "15", true)]
    [InlineData("input < 10 || input > 100", "5", true)]
    [InlineData("input.status == 'paid'", """{"status":"open"}""", false)]
    [InlineData("input.missing > 1", "{}", false)]
    [InlineData("true", "0", true)]
    public void Evaluates_the_condition(string condition, string input, bool expected) =>
        Assert.Contains($"\"condition_met\":{(expected ? "true" : "false")}", ResultJson("condition", $$"""{"condition":{{Quote(condition)}}}""", input), StringComparison.Ordinal);

    [Fact]
    public void Only_the_active_branch_runs()
    {
        var result = Run("""
            {"nodes":[
              {"id":"age","type":"test_value","data":{"value":15}},
              {"id":"check","type":"condition","data":{"condition":">=18"}},
              {"id":"adult","type":"expression","data":{"expression":"'adult'"}},
              {"id":"minor","type":"expression","data":{"expression":"'minor'"}}],
             "edges":[{"source":"age","target":"check"},
                      {"source":"check","target":"adult","sourceHandle":"true"},
                      {"source":"check","target":"minor","sourceHandle":"false"}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        Assert.Equal("minor", result.NodeResults["minor"].AsString());
        Assert.False(result.NodeResults.ContainsKey("adult"));
    }

    [Theory]
    [InlineData("input * 'x' > 1", "condition evaluation failed: value 'x' at ''x'' cannot be converted to number (in expression \"input * 'x' > 1\" at column 9)")]
    [InlineData("foo(input) > 1", "condition evaluation failed: unknown function: foo (in expression \"foo(input) > 1\" at column 1)")]
    [InlineData("", "condition evaluation failed: empty expression (in expression \"\" at column 1)")]
    public void Errors_fail_the_node_instead_of_being_false(string condition, string expected) =>
        Assert.Equal($"error executing node n: {expected}", ErrorMessage("condition", $$"""{"condition":{{Quote(condition)}}}""", "5"));

    [Fact]
    public void Needs_an_input_and_a_condition()
    {
        Assert.Equal("error executing node n: condition node needs at least 1 input", ErrorMessage("condition", """{"condition":">0"}"""));
        Assert.Contains("missing required field: condition", ErrorMessage("condition", """{"true_path":"x"}""", "1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Has_true_and_false_outputs() =>
        Assert.Equal(["true", "false"], new ConditionNode().Descriptor.Outputs.Select(o => o.Id));

    [Theory]
    [InlineData(">0", true)]
    [InlineData("context.on", false)]
    public void Is_independent_unless_it_reads_shared_state(string condition, bool expected) =>
        Assert.Equal(expected, IsIndependent("condition", $$"""{"condition":{{Quote(condition)}}}"""));
}
