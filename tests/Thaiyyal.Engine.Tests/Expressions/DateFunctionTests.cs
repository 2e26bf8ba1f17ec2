using Thaiyyal.Engine.Expressions;
using Thaiyyal.Engine.Workflows;
using static Thaiyyal.Engine.Tests.Expressions.Expr;

namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>Date and time functions (expressions.md §7.2), usable anywhere.</summary>
public sealed class DateFunctionTests
{
    [Theory]
    [InlineData("parseDate('2024-01-15T10:30:00Z')", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("parseDate('2024-01-15T10:30:00.123456789Z')", "\"2024-01-15T10:30:00.1234567Z\"")]
    [InlineData("parseDate('2024-01-15T11:30:00+01:00')", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("parseDate('15 Jan 24 10:30 UTC')", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("parseDate('Mon, 15 Jan 2024 10:30:00 GMT')", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("parseDate('2024-01-15')", "\"2024-01-15T00:00:00Z\"")]
    [InlineData("parseDate('2024-01-15 10:30:00')", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("parseDate('2024-01-15T10:30:00')", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("parseDate(1705314600)", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("toEpoch('2024-01-15T10:30:00Z')", "1705314600")]
    [InlineData("toEpochMillis('2024-01-15T10:30:00.5Z')", "1705314600500")]
    [InlineData("fromEpoch(1705314600.9)", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("fromEpochMillis(1705314600500)", "\"2024-01-15T10:30:00.5Z\"")]
    [InlineData("dateDiff('2024-01-02', '2024-01-01')", "86400")]
    [InlineData("dateDiff('2024-01-01T00:00:00.5Z', '2024-01-01')", "0.5")]
    [InlineData("dateAdd('2024-01-01', 3600.9)", "\"2024-01-01T01:00:00Z\"")]
    [InlineData("dateAdd('2024-01-01', -60)", "\"2023-12-31T23:59:00Z\"")]
    [InlineData("year('2024-12-31T23:30:00-02:00')", "2024")]
    [InlineData("month('2024-12-31T23:30:00-02:00')", "12")]
    [InlineData("day('2024-12-31T23:30:00-02:00')", "31")]
    [InlineData("hour('2024-12-31T23:30:00-02:00')", "23")]
    [InlineData("minute('2024-12-31T23:30:00-02:00')", "30")]
    [InlineData("year(0)", "1970")]
    public void Results(string expression, string expected) => Assert.Equal(expected, EvalJson(expression));

    [Theory]
    [InlineData("parseDate('yesterday')", "unable to parse date/time: yesterday")]
    [InlineData("parseDate('2024-02-30')", "unable to parse date/time: 2024-02-30")]
    [InlineData("year(true)", "unsupported date/time type: bool")]
    [InlineData("fromEpoch('x')", "fromEpoch() requires numeric argument")]
    [InlineData("fromEpochMillis(null)", "fromEpochMillis() requires numeric argument")]
    [InlineData("dateAdd('2024-01-01', 'x')", "dateAdd() second argument must be numeric")]
    [InlineData("dateAdd('2024-01-01', 1e300)", "dateAdd() result is out of the supported date range")]
    public void Errors(string expression, string problem) => Assert.Equal(problem, Error(expression).Problem);

    [Fact]
    public void Date_functions_work_inside_conditions_and_arithmetic()
    {
        Assert.True(Bool("year(item.created) == 2024 && month(item.created) >= 6", """{"created":"2024-07-01T00:00:00Z"}"""));
        Assert.Equal(2025, Eval("year(item.d) + 1", """{"d":"2024-03-01"}""").AsNumber());
    }

    [Fact]
    public void Now_reads_the_environment_clock()
    {
        var clock = new FixedClock(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var scope = new ExpressionScope(Value.Null, ExpressionEnvironment.FromValues(timeProvider: clock));
        Assert.Equal(2030, ExpressionEngine.Parse("year(now())").EvaluateValue(scope).AsNumber());
        Assert.Equal(60, ExpressionEngine.Parse("dateDiff(now(), dateAdd(now(), -60))").EvaluateValue(scope).AsNumber());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
