using Thaiyyal.Server.Hosting;

namespace Thaiyyal.Server.Tests.Hosting;

/// <summary>GoTime adds the local offset to the engine's UTC timestamp text (whose fraction trimming FormattingTests covers).</summary>
public sealed class GoTimeTests
{
    [Theory]
    [InlineData(418_110, 0, "2026-12-06T02:04:20.041811Z")]
    [InlineData(0, 330, "2026-12-06T02:04:20+05:30")]
    [InlineData(5_000_000, -480, "2026-12-06T02:04:20.5-08:00")]
    [InlineData(120, -60, "2026-12-06T02:04:20.000012-01:00")]
    public void A_time_keeps_its_own_clock_reading_and_offset(long ticks, int offsetMinutes, string expected)
    {
        var time = new DateTimeOffset(2026, 12, 6, 2, 4, 20, TimeSpan.FromMinutes(offsetMinutes)).AddTicks(ticks);
        Assert.Equal(expected, GoTime.Format(time));
    }

    [Fact]
    public void The_longest_text_fits_the_documented_length()
    {
        var time = new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.FromHours(-14)).AddTicks(9_999_999);
        Span<char> buffer = stackalloc char[GoTime.MaxLength];
        Assert.Equal(GoTime.Format(time), new string(buffer[..GoTime.Format(time, buffer)]));
        Assert.Equal(GoTime.MaxLength, GoTime.Format(time).Length);
        Assert.Throws<ArgumentException>(() => GoTime.Format(time, new char[GoTime.MaxLength - 1]));
    }
}
