using Thaiyyal.Server.Hosting;

namespace Thaiyyal.Server.Tests.Hosting;

public sealed class GoTimeTests
{
    [Theory]
    [InlineData(0, 0, "2026-12-06T02:04:20Z")]
    [InlineData(1_000_000, 0, "2026-12-06T02:04:20.1Z")]
    [InlineData(418_110, 0, "2026-12-06T02:04:20.041811Z")]
    [InlineData(1, 0, "2026-12-06T02:04:20.0000001Z")]
    [InlineData(9_999_999, 0, "2026-12-06T02:04:20.9999999Z")]
    [InlineData(0, 330, "2026-12-06T02:04:20+05:30")]
    [InlineData(5_000_000, -480, "2026-12-06T02:04:20.5-08:00")]
    [InlineData(120, -60, "2026-12-06T02:04:20.000012-01:00")]
    public void Formats_as_go_marshals_a_time(long ticks, int offsetMinutes, string expected)
    {
        var time = new DateTimeOffset(2026, 12, 6, 2, 4, 20, TimeSpan.FromMinutes(offsetMinutes)).AddTicks(ticks);
        Assert.Equal(expected, GoTime.Format(time));
        Span<char> buffer = stackalloc char[GoTime.MaxLength];
        Assert.Equal(expected, new string(buffer[..GoTime.Format(time, buffer)]));
    }

    [Fact]
    public void The_longest_text_fits_the_documented_length()
    {
        var time = new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.FromHours(-14)).AddTicks(9_999_999);
        Assert.Equal(GoTime.MaxLength, GoTime.Format(time).Length);
        var tooShort = new char[GoTime.MaxLength - 1];
        Assert.Throws<ArgumentException>(() => GoTime.Format(time, tooShort));
    }
}
