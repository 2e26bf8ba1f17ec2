using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Expressions.Functions;
using Thaiyyal.Engine.Workflows;
using static Thaiyyal.Engine.Tests.Expressions.Expr;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>Every global function: results and error texts (expressions.md §5.2, §6.1, §7.2, §7.3).</summary>
public sealed class FunctionTests
{
    private const string Data = """
        {"v":[1,2,3,4,5],"w":["a","b"],"e":[],"mixed":[1,"x"],"bools":[true],"s":"text","n":-2.5,
         "nested":[[1,[2,[3]]],4],"abcd":["a","b","c","d"],"tags":["a","b","c"]}
        """;

    [Fact]
    public void There_are_34_functions() => Assert.Equal(34, FunctionTable.All.Count);

    [Theory]
    [InlineData("avg(item.v)", "3")]
    [InlineData("avg(1, 2)", "1.5")]
    [InlineData("avg('5')", "5")]
    [InlineData("avg(7)", "7")]
    [InlineData("sum(item.v)", "15")]
    [InlineData("sum(item.e)", "0")]
    [InlineData("sum(1, '2', 3)", "6")]
    [InlineData("round(2.5)", "3")]
    [InlineData("round(-2.5)", "-3")]
    [InlineData("round('2.4')", "2")]
    [InlineData("round(item.n)", "-3")]
    [InlineData("floor(-0.5)", "-1")]
    [InlineData("ceil(-0.5)", "0")]
    [InlineData("abs(item.n)", "2.5")]
    [InlineData("min(item.v)", "1")]
    [InlineData("max(3, '11')", "11")]
    [InlineData("pow(2, 10)", "1024")]
    [InlineData("pow('2', 0.5) * pow(2, 0.5)", "2.0000000000000004")]
    [InlineData("sqrt(2.25)", "1.5")]
    [InlineData("reverse(item.w)", """["b","a"]""")]
    [InlineData("unique(map(item.v, item % 2))", "[1,0]")]
    [InlineData("flatten(item.nested)", "[1,2,3,4]")]
    [InlineData("slice(item.v, 3, 1)", "[]")]
    [InlineData("slice(item.v, -10, 100)", "[1,2,3,4,5]")]
    [InlineData("slice(item.v, 1.9, '3')", "[2,3]")]
    [InlineData("sample(item.v, 2)", "[1,3]")]
    [InlineData("sample(item.v, 0)", "[]")]
    [InlineData("sample(item.abcd, 4)", """["a","d","b","c"]""")]
    [InlineData("sample(item.abcd, 10)", """["a","d","b","c"]""")]
    [InlineData("zip(item.w, item.v)", """[["a",1],["b",2],[null,3],[null,4],[null,5]]""")]
    [InlineData("zip(item.w, item.w, item.e)", """[["a","a",null],["b","b",null]]""")]
    [InlineData("contains(item.tags, 'b c')", "true")]
    [InlineData("contains(item.s, 'ex')", "true")]
    [InlineData("contains(12345, 34)", "true")]
    [InlineData("isNull(item.missing)", "true")]
    [InlineData("isNull(item.s)", "false")]
    [InlineData("coalesce(item.missing, null, item.s)", "\"text\"")]
    [InlineData("coalesce(item.missing)", "null")]
    public void Results(string expression, string expected) => Assert.Equal(expected, EvalJson(expression, Data));

    [Theory]
    [InlineData("""["b", 10, "a", "9", 2, true]""", """[2,"9",10,"a","b",true]""")]
    [InlineData("""[3, "3", 1]""", """[1,"3",3]""")]
    [InlineData("""["b", "C", "a"]""", """["C","a","b"]""")]
    [InlineData("""[2.5, -1, 0]""", "[-1,0,2.5]")]
    public void Sort_orders_numbers_numerically_strings_ordinally_and_the_rest_by_text(string input, string expected) =>
        Assert.Equal(expected, EvalJson("sort(input)", input));

    [Theory]
    [InlineData("avg(item.e)", "avg() on empty array")]
    [InlineData("avg(item.mixed)", "avg() encountered non-numeric element: string")]
    [InlineData("avg(item.s)", "avg() requires numeric values, got string")]
    [InlineData("sum(1, item.v)", "sum() requires numeric values, got []interface {}")]
    [InlineData("sum(item.bools)", "sum() encountered non-numeric element: bool")]
    [InlineData("round(item.s)", "round() requires numeric value, got string")]
    [InlineData("floor(item.mixed)", "floor() encountered non-numeric element: string")]
    [InlineData("min(5)", "min() requires at least 2 arguments or an array, got 1 non-array value")]
    [InlineData("max(item.e)", "max() on empty array")]
    [InlineData("max(item.mixed)", "max() encountered non-numeric element: string")]
    [InlineData("min(1, item.s)", "min() requires numeric values, got string")]
    [InlineData("sqrt(-1)", "sqrt() of negative number")]
    [InlineData("pow(item.s, 2)", "value 'text' at 'item.s' cannot be converted to number")]
    [InlineData("map(item.s, item)", "map() first argument must be an array, got string")]
    [InlineData("map(item.nope, item)", "map() first argument evaluation failed: field not found: nope")]
    [InlineData("map(item.w, item.x)", "map() item expression failed: cannot access field x on non-object")]
    [InlineData("sort(item.s)", "sort() requires an array, got string")]
    [InlineData("reverse(5)", "reverse() requires an array, got float64")]
    [InlineData("unique(null)", "unique() requires an array, got <nil>")]
    [InlineData("flatten(item.s)", "flatten() requires an array, got string")]
    [InlineData("slice(item.s, 1)", "slice() first argument must be an array, got string")]
    [InlineData("slice(item.v, 'a')", "slice() start must be numeric, got string")]
    [InlineData("slice(item.v, 1, true)", "slice() end must be numeric, got bool")]
    [InlineData("sample(item.s, 1)", "sample() first argument must be an array, got string")]
    [InlineData("sample(item.v, 'x')", "sample() n must be numeric, got string")]
    [InlineData("sample(item.v, -1)", "sample() n must be non-negative, got -1")]
    [InlineData("zip(item.v, 5)", "zip() argument 1 must be an array, got float64")]
    public void Errors(string expression, string problem) => Assert.Equal(problem, Error(expression, Data).Problem);

    [Theory]
    [InlineData("avg()", "avg() requires at least 1 argument")]
    [InlineData("sum()", "sum() requires at least 1 argument")]
    [InlineData("round(1, 2)", "round() requires exactly 1 argument, got 2")]
    [InlineData("floor()", "floor() requires exactly 1 argument, got 0")]
    [InlineData("ceil(1, 2)", "ceil() requires exactly 1 argument, got 2")]
    [InlineData("abs()", "abs() requires exactly 1 argument, got 0")]
    [InlineData("min()", "min() requires at least 1 argument")]
    [InlineData("max()", "max() requires at least 1 argument")]
    [InlineData("pow(1)", "pow() requires exactly 2 arguments, got 1")]
    [InlineData("sqrt(1, 2)", "sqrt() requires exactly 1 argument, got 2")]
    [InlineData("map(input)", "map() requires exactly 2 arguments: array expression and item expression")]
    [InlineData("sort()", "sort() requires exactly 1 argument, got 0")]
    [InlineData("reverse(1, 2)", "reverse() requires exactly 1 argument, got 2")]
    [InlineData("unique()", "unique() requires exactly 1 argument, got 0")]
    [InlineData("flatten()", "flatten() requires exactly 1 argument, got 0")]
    [InlineData("slice(input)", "slice() requires 2 or 3 arguments (array, start, [end]), got 1")]
    [InlineData("sample(input)", "sample() requires exactly 2 arguments (array, n), got 1")]
    [InlineData("zip(input)", "zip() requires at least 2 arrays, got 1")]
    [InlineData("now(1)", "now() takes no arguments, got 1")]
    [InlineData("parseDate()", "parseDate() requires exactly 1 argument, got 0")]
    [InlineData("toEpoch()", "toEpoch() requires exactly 1 argument, got 0")]
    [InlineData("toEpochMillis()", "toEpochMillis() requires exactly 1 argument, got 0")]
    [InlineData("fromEpoch()", "fromEpoch() requires exactly 1 argument, got 0")]
    [InlineData("fromEpochMillis()", "fromEpochMillis() requires exactly 1 argument, got 0")]
    [InlineData("dateDiff(1)", "dateDiff() requires exactly 2 arguments, got 1")]
    [InlineData("dateAdd(1)", "dateAdd() requires exactly 2 arguments, got 1")]
    [InlineData("year()", "year() requires exactly 1 argument, got 0")]
    [InlineData("month()", "month() requires exactly 1 argument, got 0")]
    [InlineData("day()", "day() requires exactly 1 argument, got 0")]
    [InlineData("hour()", "hour() requires exactly 1 argument, got 0")]
    [InlineData("minute()", "minute() requires exactly 1 argument, got 0")]
    [InlineData("isNull()", "isNull() requires exactly 1 argument, got 0")]
    [InlineData("coalesce()", "coalesce() requires at least 1 argument")]
    [InlineData("contains(1)", "contains() requires exactly 2 arguments")]
    [InlineData("frobnicate(item)", "unknown function: frobnicate")]
    public void Arity_and_unknown_functions_are_syntax_errors(string expression, string problem)
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionEngine.Parse(expression));
        Assert.Equal(problem, error.Problem);
        Assert.Equal(1, error.Column);
    }

    [Fact]
    public void Unknown_function_inside_arithmetic_names_its_column()
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionEngine.Parse("sum(1, foo(1)) + 1"));
        Assert.Equal("unknown function: foo", error.Problem);
        Assert.Equal(8, error.Column);
    }

    [Fact]
    public void Functions_building_arrays_respect_the_array_limit()
    {
        var env = ExpressionEnvironment.FromValues(limits: ExecutionLimits.Default with { MaxArrayLength = 3 });
        var scope = new ExpressionScope(ParseJson("""[[1,2],[3,4]]"""), env);
        var error = Assert.Throws<ExecutionLimitException>(() => ExpressionEngine.Parse("flatten(input)").EvaluateValue(scope));
        Assert.Equal("array too large: 4 elements (limit: 3)", error.Message);
        var split = new ExpressionScope(ParseJson("\"a,b,c,d\""), env);
        Assert.Throws<ExecutionLimitException>(() => ExpressionEngine.Parse("input.split(',')").EvaluateValue(split));
        // Limits are not expression errors: the Try API lets them through too.
        Assert.Throws<ExecutionLimitException>(() => ExpressionEngine.Parse("flatten(input)").TryEvaluateValue(scope, out _, out _));
    }

    [Fact]
    public void Long_evaluations_observe_cancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var env = ExpressionEnvironment.FromValues(cancellationToken: cts.Token);
        var scope = new ExpressionScope(Value.From(new ValueArray(Enumerable.Range(0, 5000).Select(i => Value.From((double)(i % 7))).Append("x").ToArray())), env);
        Assert.Throws<OperationCanceledException>(() => ExpressionEngine.Parse("map(input, item)").EvaluateValue(scope));
        Assert.Throws<OperationCanceledException>(() => ExpressionEngine.Parse("sort(input)").EvaluateValue(scope));
    }
}
