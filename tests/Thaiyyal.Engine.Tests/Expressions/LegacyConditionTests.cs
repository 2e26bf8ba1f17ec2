using Thaiyyal.Engine.Expressions;
using static Thaiyyal.Engine.Tests.Expressions.Expr;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>The legacy numeric condition of expressions.md §7.4 (while_loop's language).</summary>
public sealed class LegacyConditionTests
{
    [Theory]
    [InlineData("true", "null", true)]
    [InlineData("false", "5", false)]
    [InlineData(">10", "5", false)]
    [InlineData(">0", "5", true)]
    [InlineData("> 4.5", "5", true)]
    [InlineData(">=5", "5", true)]
    [InlineData("<=4", "5", false)]
    [InlineData("<6", "5", true)]
    [InlineData("==5", "5", true)]
    [InlineData("!=5", "5", false)]
    [InlineData(">abc", "5", true)]
    [InlineData(">abc", "-1", false)]
    [InlineData(">1e1", "11", true)]
    [InlineData(">10 && <20", "15", true)]
    [InlineData(">10", """{"value":15}""", true)]
    [InlineData(">10", """{"value":"15"}""", false)]
    [InlineData(">10", "\"15\"", false)]
    [InlineData("=5", "5", false)]
    [InlineData("5", "5", false)]
    [InlineData(" >1", "5", false)]
    [InlineData("", "5", false)]
    public void Evaluate(string condition, string value, bool expected) =>
        Assert.Equal(expected, LegacyCondition.Evaluate(condition, ParseJson(value)));
}
