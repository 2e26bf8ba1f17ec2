using static Thaiyyal.Engine.Tests.Expressions.Expr;

namespace Thaiyyal.Engine.Tests.Expressions;

public sealed class SmokeTests
{
    [Theory]
    [InlineData("1 + 2 * 3", "null", "7")]
    [InlineData("input * 2", "5", "10")]
    [InlineData("item.age + 1", """{"age":30}""", "31")]
    [InlineData("round(avg(map(input, item.age)))", """[{"age":31},{"age":29},{"age":40}]""", "33")]
    [InlineData("input > 90 ? 'A' : input > 70 ? 'B' : 'C'", "75", "\"B\"")]
    public void Evaluates(string expression, string input, string expected) => Assert.Equal(expected, EvalJson(expression, input));
}
