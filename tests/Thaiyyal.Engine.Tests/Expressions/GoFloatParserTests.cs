namespace Thaiyyal.Engine.Tests.Expressions;

/// <summary>Which strings count as numbers (expressions.md §2, §5.4).</summary>
public sealed class GoFloatParserTests
{
    [Theory]
    [InlineData("10", 10)]
    [InlineData("-2.5E-1", -0.25)]
    [InlineData("+1e3", 1000)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5)]
    [InlineData("0x1p-2", 0.25)]
    [InlineData("-0X1.8P1", -3)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    [InlineData("+INF", double.PositiveInfinity)]
    public void Numbers(string text, double expected)
    {
        Assert.True(Compatibility.GoFloatParser.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void NaN_is_a_number()
    {
        Assert.True(Compatibility.GoFloatParser.TryParse("NaN", out var value));
        Assert.True(double.IsNaN(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 10")]
    [InlineData("10 ")]
    [InlineData("1e")]
    [InlineData("e5")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("0x10")]
    [InlineData("1_000")]
    [InlineData("1e400")]
    [InlineData("ten")]
    [InlineData("+NaN")]
    [InlineData("1,5")]
    [InlineData("٣")]
    public void Not_numbers(string text) => Assert.False(Compatibility.GoFloatParser.TryParse(text, out _));
}
