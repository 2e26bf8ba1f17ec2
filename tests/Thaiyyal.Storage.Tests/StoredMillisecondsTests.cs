using System.Buffers;
using System.Text;
using System.Text.Json;
using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage.Tests;

/// <summary>
/// Durations are written from their 100 ns ticks when they are a whole number of them: the text must read back as the
/// very same double, and any other value must be written exactly as the JSON writer writes it.
/// </summary>
public sealed class StoredMillisecondsTests
{
    private static string Written(double ms, bool byWriter = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            if (byWriter) w.WriteNumberValue(ms);
            else RunBundleJson.WriteMilliseconds(w, ms);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static double ReadBack(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        Assert.True(reader.Read());
        Assert.Equal(JsonTokenType.Number, reader.TokenType);
        return reader.GetDouble();
    }

    [Fact]
    public void Whole_ticks_are_written_as_their_decimal_and_read_back_as_the_same_double()
    {
        var random = new Random(20261206);
        var ticks = new List<long> { 0, 1, 9, 10, 10_000, 10_001, 99_999, 123_456_789, -1, -10_000, -25_000, 4_000_000_000_000_000 / 10 };
        for (var i = 0; i < 200_000; i++)
            ticks.Add(random.Next(4) switch
            {
                0 => random.NextInt64(0, 100),
                1 => random.NextInt64(0, 10_000_000),
                2 => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000),
                _ => random.NextInt64(0, 400_000_000_000_000),
            });
        foreach (var t in ticks)
        {
            var ms = TimeSpan.FromTicks(t).TotalMilliseconds;
            var text = Written(ms);
            Assert.Equal(BitConverter.DoubleToInt64Bits(ms), BitConverter.DoubleToInt64Bits(ReadBack(text)));
            Assert.Equal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), t / 10_000m);
        }
    }

    [Theory]
    [InlineData(1.0 / 3)]
    [InlineData(0.00001)]
    [InlineData(1e-300)]
    [InlineData(2.5e20)]
    [InlineData(-7.123456789)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(-0.0)]
    public void Any_other_value_is_written_as_the_json_writer_writes_it(double ms)
    {
        Assert.Equal(Written(ms, byWriter: true), Written(ms));
        Assert.Equal(BitConverter.DoubleToInt64Bits(ms), BitConverter.DoubleToInt64Bits(ReadBack(Written(ms))));
    }
}
