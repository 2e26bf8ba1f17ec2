using Thaiyyal.Engine.Expressions;
using static Thaiyyal.Engine.Tests.Expressions.Expr;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>Operators, precedence, coercion and equality (expressions.md §5, §7, §8) and the quirks fixed per §10.</summary>
public sealed class OperatorTests
{
    [Theory]
    [InlineData("2 + 3 * 4", 14)]
    [InlineData("(2 + 3) * 4", 20)]
    [InlineData("10 - 2 - 3", 5)]
    [InlineData("100 / 10 / 5", 2)]
    [InlineData("2 * 3 % 4", 2)]
    [InlineData("-7 % 3", -1)]
    [InlineData("7 % -3", 1)]
    [InlineData("7.9 % 2", 1)]
    [InlineData("-2 * -3", 6)]
    [InlineData("--5", 5)]
    [InlineData("-(2 + 3)", -5)]
    [InlineData("1e3 + 2.5E-1", 1000.25)]
    [InlineData(".5 + 5", 5.5)]
    [InlineData("0x1p-2", 0.25)]
    [InlineData("'10' * 2", 20)]
    public void Arithmetic(string expression, double expected) => Assert.Equal(expected, Eval(expression).AsNumber());

    [Theory]
    [InlineData("5 % 0", "modulo by zero")]
    [InlineData("5 % 0.5", "modulo by zero")]
    [InlineData("1 / (2 - 2)", "division by zero")]
    [InlineData("'a' + 'b'", "value 'a' at ''a'' cannot be converted to number")]
    [InlineData("true + 1", "value 'true' at 'true' cannot be converted to number")]
    [InlineData("-'x'", "value 'x' at ''x'' cannot be converted to number")]
    public void Arithmetic_errors(string expression, string problem) => Assert.Equal(problem, Error(expression).Problem);

    [Fact]
    public void Subtraction_works_inside_conditions()
    {
        // The original did not see '-' as arithmetic in conditions (item.a - 5 > 0 was false).
        Assert.True(Bool("item.a - 5 > 0", """{"a":10}"""));
        Assert.False(Bool("item.a - 5 > 0", """{"a":3}"""));
    }

    [Fact]
    public void Operators_inside_string_literals_are_text()
    {
        Assert.True(Bool("item.s == 'a || b'", """{"s":"a || b"}"""));
        Assert.True(Bool("item.s == \"x && y\" && true", """{"s":"x && y"}"""));
        Assert.True(Bool("item.s == 'a ? b : c'", """{"s":"a ? b : c"}"""));
    }

    [Theory]
    [InlineData("item.x == null", """{"x":null}""", true)]
    [InlineData("item.x == null", """{}""", true)]
    [InlineData("item.x == null", """{"x":0}""", false)]
    [InlineData("item.x != null", """{"x":"a"}""", true)]
    [InlineData("item.x != null", """{"x":null}""", false)]
    [InlineData("item.x != null", """{}""", false)]
    [InlineData("null == item.x", """{}""", true)]
    public void Null_is_a_literal(string expression, string input, bool expected) => Assert.Equal(expected, Bool(expression, input));

    [Fact]
    public void Null_alone_is_a_value() => Assert.True(Eval("null").IsNull);

    [Theory]
    [InlineData("item.missing == 5")]
    [InlineData("item.missing != 5")]
    [InlineData("item.missing > 5")]
    [InlineData("item.missing + 1 > 5")]
    [InlineData("item.a.b.c == 1")]
    [InlineData("item.list[9] == 1")]
    [InlineData("item.missing == item.other")]
    public void A_missing_side_makes_a_comparison_false(string expression) => Assert.False(Bool(expression, """{"a":1,"list":[1]}"""));

    [Theory]
    [InlineData("item.flag", """{"flag":true}""", true)]
    [InlineData("item.flag", """{"flag":false}""", false)]
    [InlineData("item.flag", """{"flag":1}""", false)]
    [InlineData("item.flag", """{"flag":"yes"}""", false)]
    [InlineData("item.flag", """{"flag":[true]}""", false)]
    [InlineData("item.flag", """{}""", false)]
    [InlineData("!item.flag", """{}""", true)]
    [InlineData("input", "true", true)]
    public void Only_the_boolean_true_is_true(string expression, string input, bool expected) => Assert.Equal(expected, Bool(expression, input));

    [Theory]
    [InlineData("'10' == 10", true)]
    [InlineData("'10' == '10.0'", true)]
    [InlineData("'1e1' == 10", true)]
    [InlineData("'abc' == 'abc'", true)]
    [InlineData("'abc' == 'ABC'", false)]
    [InlineData("'abc' > 'abb'", false)]
    [InlineData("'abc' < 'abd'", false)]
    [InlineData("'9' < '10'", true)]
    [InlineData("null < 1", false)]
    [InlineData("null == null", true)]
    [InlineData("null != 0", true)]
    [InlineData("true == true", true)]
    [InlineData("true == 1", false)]
    [InlineData("NaN == NaN", false)]
    [InlineData("NaN != NaN", true)]
    [InlineData("Inf > 1e308", true)]
    [InlineData("-Infinity < -1e308", true)]
    [InlineData("10 >= 10", true)]
    [InlineData("10 <= 9.5", false)]
    public void Equality_and_ordering(string expression, bool expected) => Assert.Equal(expected, Bool(expression));

    [Fact]
    public void Arrays_and_objects_are_never_equal()
    {
        Assert.False(Bool("item.o == item.o", """{"o":{"a":1}}"""));
        Assert.False(Bool("item.l == item.l", """{"l":[1]}"""));
        Assert.True(Bool("item.l != item.l", """{"l":[1]}"""));
    }

    [Theory]
    [InlineData("!item.a == 5", 5, false)]
    [InlineData("!item.a == 5", 4, true)]
    [InlineData("!(item.a == 5) && item.a > 1", 4, true)]
    [InlineData("!!(item.a > 1)", 4, true)]
    public void Not_binds_looser_than_comparison(string expression, int a, bool expected) =>
        Assert.Equal(expected, Bool(expression, $$"""{"a":{{a}}}"""));

    [Theory]
    [InlineData("true || false && false", true)]
    [InlineData("false && true || true", true)]
    [InlineData("(true || false) && false", false)]
    [InlineData("false && 1 / 0 > 0", false)]
    [InlineData("true || 1 / 0 > 0", true)]
    public void Logic_precedence_and_short_circuit(string expression, bool expected) => Assert.Equal(expected, Bool(expression));

    [Fact]
    public void Errors_after_a_true_operand_are_reported()
    {
        var error = Assert.Throws<ExpressionException>(() => Bool("true && 1 / 0 > 0"));
        Assert.Equal("division by zero", error.Problem);
    }

    [Theory]
    [InlineData(">= 80", """{"value":85,"other":1}""", true)]
    [InlineData(">= 80", """{"value":{"value":70}}""", false)]
    [InlineData(">=18", "\"25\"", true)]
    [InlineData("> 5", "7", true)]
    [InlineData("== 'a'", "\"a\"", true)]
    [InlineData("!= 3", "3", false)]
    [InlineData("! == 3", "3", false)]
    [InlineData("> 1 && < 3 || == 10", "10", true)]
    [InlineData("> 5", """{"other":1}""", false)]
    public void Shorthand_comparisons_test_the_input(string expression, string input, bool expected) =>
        Assert.Equal(expected, Bool(expression, input));

    [Theory]
    [InlineData("input > 10 && input < 20", "15", "true")]
    [InlineData("input >= 70 ? 'pass' : 'fail'", "75", "\"pass\"")]
    [InlineData("input > 90 ? 'A' : input > 70 ? 'B' : 'C'", "60", "\"C\"")]
    [InlineData("input > 1 ? input > 2 ? 'x' : 'y' : 'z'", "2", "\"y\"")]
    [InlineData("item.missing ? 1 : 2", "{}", "2")]
    [InlineData("input < 0 ? 1 : input * 2", "75", "150")]
    public void Conditions_and_ternaries_are_values(string expression, string input, string expected) =>
        Assert.Equal(expected, EvalJson(expression, input));

    [Fact]
    public void Type_errors_are_errors_even_in_conditions()
    {
        var error = Assert.Throws<ExpressionException>(() => Bool("item.name * 2 > 1", """{"name":"abc"}"""));
        Assert.Equal("value 'abc' at 'item.name' cannot be converted to number", error.Problem);
        Assert.Equal(1, error.Column);
    }

    [Fact]
    public void Missing_values_are_errors_when_a_value_is_needed()
    {
        var error = Error("item.missing", "{}");
        Assert.Equal("field not found: missing", error.Problem);
        Assert.Equal(6, error.Column);
    }
}
