using Thaiyyal.Engine.Execution;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Execution;

/// <summary>The expression limits are run limits like the others: set on <see cref="ExecutionLimits"/>, named when hit.</summary>
public sealed class ExpressionLimitTests
{
    private static string Condition(string condition) =>
        $$$"""{'nodes':[{'id':'in','type':'test_value','data':{'value':1}},{'id':'c','type':'condition','data':{'condition':'{{{condition}}}'}}],'edges':[{'source':'in','target':'c'}]}""";

    [Fact]
    public async Task An_expression_longer_than_the_limit_fails_its_node_naming_the_limit()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxExpressionLength = 12 });
        Assert.Contains("expression too long: 13 characters (limit: 12)", Error(await RunAsync(Condition("input == 1000"), engine)), StringComparison.Ordinal);
        Assert.True((await RunAsync(Condition("input == 100"), engine)).Success);
    }

    [Fact]
    public async Task An_expression_nested_deeper_than_the_limit_fails_its_node_naming_the_limit()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxExpressionDepth = 3 });
        Assert.Contains("expression nested too deeply (limit: 3 levels)", Error(await RunAsync(Condition("((((input)))) == 1"), engine)), StringComparison.Ordinal);
        Assert.True((await RunAsync(Condition("(input) == 1"), engine)).Success);
    }

    [Fact]
    public void The_defaults_are_16_KiB_and_64_levels()
    {
        Assert.Equal(16 * 1024, ExecutionLimits.Default.MaxExpressionLength);
        Assert.Equal(64, ExecutionLimits.Default.MaxExpressionDepth);
    }
}
