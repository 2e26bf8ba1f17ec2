using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Expressions.Functions;
using static Thaiyyal.Engine.Tests.Expressions.Expr;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>The twelve methods (expressions.md §4.1).</summary>
public sealed class MethodTests
{
    private const string Data = """{"s":"  Héllo, World  ","t":"a-b-a","n":5,"l":[1,"2",true,null],"e":[],"prefix":"  H"}""";

    [Fact]
    public void There_are_12_methods() => Assert.Equal(12, Methods.All.Count);

    [Theory]
    [InlineData("item.s.toUpperCase()", "\"  HÉLLO, WORLD  \"")]
    [InlineData("item.s.toLowerCase()", "\"  héllo, world  \"")]
    [InlineData("item.s.trim()", "\"Héllo, World\"")]
    [InlineData("item.s.includes('World')", "true")]
    [InlineData("item.s.includes('world')", "false")]
    [InlineData("item.l.includes(2)", "true")]
    [InlineData("item.l.includes('1')", "true")]
    [InlineData("item.l.includes(null)", "true")]
    [InlineData("item.l.includes(3)", "false")]
    [InlineData("item.s.startsWith(item.prefix)", "true")]
    [InlineData("item.s.trim().endsWith('ld')", "true")]
    [InlineData("item.t.replace('a', 'x')", "\"x-b-x\"")]
    [InlineData("item.t.replace('', '.')", "\".a.-.b.-.a.\"")]
    [InlineData("item.t.split('-')", """["a","b","a"]""")]
    [InlineData("'hé'.split('')", """["h","é"]""")]
    [InlineData("item.l.join('|')", "\"1|2|true|<nil>\"")]
    [InlineData("item.l.reverse()", """[null,true,"2",1]""")]
    [InlineData("item.l.first()", "1")]
    [InlineData("item.l.last()", "null")]
    [InlineData("item.e.first()", "null")]
    [InlineData("item.e.last()", "null")]
    [InlineData("item.t.split('-').reverse().join('+').toUpperCase()", "\"A+B+A\"")]
    public void Results(string expression, string expected) => Assert.Equal(expected, EvalJson(expression, Data));

    [Theory]
    [InlineData("item.n.toUpperCase()", "toUpperCase() can only be called on strings, got float64", 8)]
    [InlineData("item.l.toLowerCase()", "toLowerCase() can only be called on strings, got []interface {}", 8)]
    [InlineData("item.n.trim()", "trim() can only be called on strings, got float64", 8)]
    [InlineData("item.n.includes(1)", "includes() can only be called on strings or arrays, got float64", 8)]
    [InlineData("item.n.startsWith('a')", "startsWith() can only be called on strings, got float64", 8)]
    [InlineData("item.l.endsWith('a')", "endsWith() can only be called on strings, got []interface {}", 8)]
    [InlineData("item.n.replace('a', 'b')", "replace() can only be called on strings, got float64", 8)]
    [InlineData("item.n.split(',')", "split() can only be called on strings, got float64", 8)]
    [InlineData("item.s.join(',')", "join() can only be called on arrays, got string", 8)]
    [InlineData("item.s.reverse()", "reverse() can only be called on arrays, got string", 8)]
    [InlineData("item.s.first()", "first() can only be called on arrays, got string", 8)]
    [InlineData("item.n.last()", "last() can only be called on arrays, got float64", 8)]
    public void Wrong_receiver(string expression, string problem, int column)
    {
        var error = Error(expression, Data);
        Assert.Equal(problem, error.Problem);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("input.includes()", "includes() requires exactly 1 argument, got 0")]
    [InlineData("input.split(',', 2)", "split() requires exactly 1 argument, got 2")]
    [InlineData("input.replace('a')", "replace() requires exactly 2 arguments, got 1")]
    [InlineData("input.trim(1)", "trim() takes no arguments, got 1")]
    [InlineData("input.frob()", "unknown method: frob")]
    public void Arity_and_unknown_methods_are_syntax_errors(string expression, string problem)
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionEngine.Parse(expression));
        Assert.Equal(problem, error.Problem);
        Assert.Equal(7, error.Column);
    }
}
