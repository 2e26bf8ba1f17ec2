using System.Text;
using Thaiyyal.Engine.Expressions;
using static Thaiyyal.Engine.Tests.Expressions.Expr;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>Syntax errors with columns, literals, limits and hostile text.</summary>
public sealed class ParserTests
{
    private static readonly ExpressionLimits Roomy = new() { MaxLength = 2_000_000, MaxDepth = 64 };

    [Theory]
    [InlineData("1 +", "unexpected end of expression", 4)]
    [InlineData("item.", "expected a field or method name after '.', found end of expression", 6)]
    [InlineData("item.5", "expected a field or method name after '.', found number", 6)]
    [InlineData("a = 1", "unexpected character '=' (use '==' to compare)", 3)]
    [InlineData("a & b", "unexpected character '&' (use '&&')", 3)]
    [InlineData("a | b", "unexpected character '|' (use '||')", 3)]
    [InlineData("'abc", "unterminated string", 1)]
    [InlineData("1 < 2 < 3", "comparisons cannot be chained (write a < b && b < c)", 7)]
    [InlineData(">= 1 == 2", "comparisons cannot be chained (write a < b && b < c)", 6)]
    [InlineData("0x10", "invalid number '0x10' (hexadecimal numbers need a 'p' exponent, e.g. 0x1p-2)", 1)]
    [InlineData("1abc", "invalid number '1a'", 1)]
    [InlineData("a ? b", "expected ':' of the conditional (a ? b : c), found end of expression", 6)]
    [InlineData("(1, 2)", "expected ')', found ','", 3)]
    [InlineData("max(1 2)", "expected ',' or ')', found number", 7)]
    [InlineData("max(1,", "unexpected end of expression", 7)]
    [InlineData("abs(1", "unmatched '(' in function call", 4)]
    [InlineData("[1]", "unexpected '['", 1)]
    [InlineData("item[0", "expected ']', found end of expression", 7)]
    [InlineData("1 2", "unexpected number", 3)]
    [InlineData("node.", "expected a name after '.'", 6)]
    [InlineData("variables. x", "expected a name after '.'", 11)]
    [InlineData("   ", "empty expression", 1)]
    [InlineData("a ~ b", "unexpected character '~'", 3)]
    [InlineData("a \u0001", "unexpected character '\\u0001'", 3)]
    public void Syntax_errors_name_the_problem_and_column(string expression, string problem, int column)
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionEngine.Parse(expression));
        Assert.Equal(problem, error.Problem);
        Assert.Equal(column, error.Column);
        Assert.Contains($"at column {column}", error.Message, StringComparison.Ordinal);
        Assert.Contains(expression, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'it''s'", "it's")]
    [InlineData("\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("'say \"hi\"'", "say \"hi\"")]
    [InlineData("'C:\\temp\\n'", "C:\\temp\\n")]
    [InlineData("''", "")]
    public void String_literals_have_no_escapes_but_doubled_quotes(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression).AsString());

    [Theory]
    [InlineData("1e3", 1000)]
    [InlineData("2.5E-1", 0.25)]
    [InlineData("1E+2", 100)]
    [InlineData(".5", 0.5)]
    [InlineData("0x1p-2", 0.25)]
    [InlineData("0X1.8p1", 3)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    public void Number_literals(string expression, double expected) => Assert.Equal(expected, Eval(expression).AsNumber());

    [Fact]
    public void NaN_is_a_number_literal() => Assert.True(double.IsNaN(Eval("NaN").AsNumber()));

    [Fact]
    public void Parsing_the_same_text_again_uses_the_cache() =>
        Assert.Same(ExpressionEngine.Parse("item.a + 1"), ExpressionEngine.Parse("item.a + 1"));

    [Fact]
    public void ParseOrError_keeps_the_error_for_evaluation()
    {
        var parsed = ExpressionEngine.ParseOrError("foo(1)");
        Assert.NotNull(parsed.ParseError);
        Assert.Equal("unknown function: foo", Assert.Throws<ExpressionException>(() => parsed.EvaluateValue(default)).Problem);
        Assert.False(parsed.TryEvaluateBoolean(default, out _, out var error));
        Assert.Same(parsed.ParseError, error);
    }

    [Fact]
    public void Over_long_text_is_rejected()
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionEngine.Parse(new string('1', ExpressionLimits.Default.MaxLength + 1)));
        Assert.Equal($"expression too long: {ExpressionLimits.Default.MaxLength + 1} characters (limit: {ExpressionLimits.Default.MaxLength})", error.Problem);
    }

    [Fact]
    public void A_hundred_thousand_nested_parentheses_give_a_depth_error()
    {
        var text = new string('(', 100_000) + "1" + new string(')', 100_000);
        Assert.StartsWith("expression too long", Assert.Throws<ExpressionException>(() => ExpressionEngine.Parse(text)).Problem, StringComparison.Ordinal);
        var error = OnSmallStack(() => Assert.Throws<ExpressionException>(() => ExpressionEngine.Parse(text, Roomy)));
        Assert.Equal("expression nested too deeply (limit: 64 levels)", error.Problem);
        Assert.Equal(65, error.Column);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("!")]
    [InlineData("abs(")]
    [InlineData("item[")]
    [InlineData("true ? 1 : ")]
    public void Deep_prefix_chains_give_a_depth_error(string prefix)
    {
        var text = new StringBuilder().Insert(0, prefix, 100_000).Append('1').ToString();
        var error = OnSmallStack(() => Assert.Throws<ExpressionException>(() => ExpressionEngine.Parse(text, Roomy)));
        Assert.Equal("expression nested too deeply (limit: 64 levels)", error.Problem);
    }

    [Theory]
    [InlineData(".a")]
    [InlineData("[0]")]
    [InlineData(".trim()")]
    public void Long_paths_give_a_depth_error(string segment)
    {
        var text = "item" + string.Concat(Enumerable.Repeat(segment, 100_000));
        var error = OnSmallStack(() => Assert.Throws<ExpressionException>(() => ExpressionEngine.Parse(text, Roomy)));
        Assert.Equal("expression nested too deeply (limit: 64 levels)", error.Problem);
    }

    [Fact]
    public void Paths_within_the_depth_limit_work()
    {
        var input = string.Concat(Enumerable.Repeat("{\"a\":", 60)) + "1" + new string('}', 60);
        Assert.Equal(1, Eval("item" + string.Concat(Enumerable.Repeat(".a", 60)), input).AsNumber());
    }

    [Theory]
    [InlineData("+", 100_000)]
    [InlineData("*", 1)]
    public void A_hundred_thousand_term_chain_parses_and_evaluates_without_recursion(string op, double expected)
    {
        var text = "1" + string.Concat(Enumerable.Repeat($" {op} 1", 99_999));
        var value = OnSmallStack(() => ExpressionEngine.Parse(text, Roomy).EvaluateValue(default));
        Assert.Equal(expected, value.AsNumber());
    }

    [Fact]
    public void A_hundred_thousand_term_boolean_chain_evaluates_without_recursion()
    {
        var text = string.Join(" && ", Enumerable.Repeat("input > 0", 50_000)) + " || false";
        var parsed = ExpressionEngine.Parse(text, Roomy);
        Assert.True(OnSmallStack(() => parsed.EvaluateBoolean(new Thaiyyal.Engine.Expressions.ExpressionScope(ParseJson("1")))));
        Assert.NotEmpty(OnSmallStack(() => parsed.ToString()));
    }

    /// <summary>Runs on a 1 MiB stack (smaller than a thread-pool thread's): unbounded recursion would crash the test process.</summary>
    private static T OnSmallStack<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null) throw failure;
        return result;
    }
}
