using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Workflows;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(15, "15")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(256.70000000000005, "256.70000000000005")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1.5e21, "1.5e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(0, "0")]
    public void Json_numbers_print_like_the_original(double value, string text) => Assert.Equal(text, Compatibility.GoFloatText.ToJson(value));

    [Theory]
    [InlineData(30, "30")]
    [InlineData(2.5, "2.5")]
    [InlineData(123456, "123456")]
    [InlineData(1000000, "1e+06")]
    [InlineData(1234567, "1.234567e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.5e-10, "-2.5e-10")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Go_text_of_numbers_switches_to_exponents_at_the_spec_thresholds(double value, string text) => Assert.Equal(text, Compatibility.GoFloatText.ToGo(value));

    [Fact]
    public void Generic_text_of_composite_values()
    {
        var value = ValueJson.Parse("""{"b":[1,"x",null,true],"a":{"z":1e6}}""");
        Assert.Equal("map[a:map[z:1e+06] b:[1 x <nil> true]]", Compatibility.GoValueText.ToGoString(value));
        Assert.Equal("3", Compatibility.GoValueText.ToGoString(Value.FromInteger(3)));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(850L, "850ns")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(414_175L, "414.175µs")]
    [InlineData(1_234_567L, "1.234567ms")]
    [InlineData(850_000_000L, "850ms")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(30_000_000_000L, "30s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(300_000_000_000L, "5m0s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(3_723_500_000_000L, "1h2m3.5s")]
    [InlineData(-1_000_000_000L, "-1s")]
    public void Durations_print_like_go(long nanoseconds, string text) => Assert.Equal(text, Compatibility.GoDuration.FormatNanoseconds(nanoseconds));

    [Theory]
    [InlineData("300ms", 300)]
    [InlineData("1.5s", 1500)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("-1s", -1000)]
    [InlineData("0", 0)]
    [InlineData("250", 250)]
    [InlineData("1m30s", 90_000)]
    [InlineData("100us", 0.1)]
    [InlineData("100µs", 0.1)]
    [InlineData("100μs", 0.1)]
    public void Config_durations_parse(string text, double milliseconds)
    {
        Assert.True(Compatibility.GoDuration.TryParse(text, out var d));
        Assert.Equal(milliseconds, d.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5 s")]
    [InlineData("5x")]
    [InlineData("s")]
    [InlineData("1.s.")]
    [InlineData("99999999999999999999h")]
    public void Bad_durations_are_refused(string text)
    {
        Assert.False(Compatibility.GoDuration.TryParse(text, out _));
        Assert.Equal($"invalid duration format: {text} (use formats like '5s', '10m', '1h')", Compatibility.GoDuration.FormatError(text));
    }

    [Fact]
    public void Strict_durations_refuse_bare_integers_but_zero()
    {
        Assert.False(Compatibility.GoDuration.TryParseStrict("250", out _));
        Assert.True(Compatibility.GoDuration.TryParseStrict("0", out var zero));
        Assert.Equal(TimeSpan.Zero, zero);
    }

    [Fact]
    public void Json_round_trip_sorts_keys_and_keeps_types()
    {
        var text = """{"z":[1,2.5,"x",null,false,{}],"a":{"c":1e-7,"b":"<&>"}}""";
        Assert.Equal("""{"a":{"b":"<&>","c":1e-7},"z":[1,2.5,"x",null,false,{}]}""", ValueJson.Serialize(ValueJson.Parse(text)));
    }

    [Fact]
    public void Values_compare_structurally()
    {
        Assert.Equal(ValueJson.Parse("""{"a":[1,{"b":null}]}"""), ValueJson.Parse("""{"a":[1.0,{"b":null}]}"""));
        Assert.NotEqual(ValueJson.Parse("[1,2]"), ValueJson.Parse("[2,1]"));
        Assert.Equal(Value.FromInteger(2), Value.From(2.0));
        Assert.Equal("float64", Value.From(1).GoTypeName);
        Assert.Equal("map[string]interface {}", ValueJson.Parse("{}").GoTypeName);
        Assert.Equal("[]interface {}", ValueJson.Parse("[]").GoTypeName);
        Assert.Equal("<nil>", Value.Null.GoTypeName);
    }

    [Fact]
    public void Arrays_of_whole_numbers_read_exactly_as_written_element_by_element()
    {
        double[] samples = [0, -0.0, 1, -1, 7, 999_999_999_999_999, -999_999_999_999_999, 1e15, -1e15, 0.5, -2.25, 1e20, double.NaN, double.PositiveInfinity];
        var random = new Random(20261205);
        for (var round = 0; round < 2_000; round++)
        {
            var length = random.Next(0, 40);
            var wholeOnly = random.Next(2) == 0;
            var items = new Value[length];
            for (var i = 0; i < length; i++)
            {
                var pick = random.Next(4) switch
                {
                    0 => samples[random.Next(samples.Length)],
                    1 => random.Next(-1_000_000, 1_000_000),
                    2 => Math.Floor((random.NextDouble() - 0.5) * 2e15),
                    _ => random.NextDouble() * 1000,
                };
                if (wholeOnly && !(pick == Math.Floor(pick) && Math.Abs(pick) < 1e15)) pick = random.Next();
                items[i] = random.Next(3) == 0 && pick == Math.Floor(pick) && Math.Abs(pick) < 1e15 ? Value.FromInteger((long)pick) : Value.From(pick);
            }
            var expected = "[" + string.Join(",", items.Select(ValueJson.Serialize)) + "]";
            var array = Value.From(new ValueArray(items));
            Assert.Equal(expected, ValueJson.Serialize(array));
            // Inside an object and after another value the separators are the writer's.
            var wrapped = Value.From(new ValueObject(new Dictionary<string, Value> { ["a"] = Value.From(1), ["b"] = array, ["c"] = array }));
            Assert.Equal($$"""{"a":1,"b":{{expected}},"c":{{expected}}}""", ValueJson.Serialize(wrapped));
        }
    }
    [Theory]
    [InlineData(0, 0, "2026-12-06T02:04:20Z")]
    [InlineData(1_000_000, 0, "2026-12-06T02:04:20.1Z")]
    [InlineData(418_110, 0, "2026-12-06T02:04:20.041811Z")]
    [InlineData(1, 0, "2026-12-06T02:04:20.0000001Z")]
    [InlineData(9_999_999, 0, "2026-12-06T02:04:20.9999999Z")]
    [InlineData(5_000_000, 330, "2026-12-05T20:34:20.5Z")]
    [InlineData(120, -60, "2026-12-06T03:04:20.000012Z")]
    public void Timestamps_print_in_utc_with_the_fraction_trimmed(long ticks, int offsetMinutes, string expected)
    {
        var time = new DateTimeOffset(2026, 12, 6, 2, 4, 20, TimeSpan.FromMinutes(offsetMinutes)).AddTicks(ticks);
        Assert.Equal(expected, ValueJson.FormatTimestamp(time));
        Span<char> buffer = stackalloc char[ValueJson.MaxTimestampLength];
        Assert.Equal(expected, new string(buffer[..ValueJson.FormatTimestamp(time, buffer)]));
        Assert.Equal($"\"{expected}\"", ValueJson.Serialize(Value.From(time)));
    }

    [Fact]
    public void A_timestamp_needs_room_for_its_longest_text()
    {
        var time = new DateTimeOffset(2026, 12, 6, 2, 4, 20, TimeSpan.Zero).AddTicks(1_234_567);
        Assert.Equal(ValueJson.MaxTimestampLength, ValueJson.FormatTimestamp(time).Length);
        Assert.Throws<ArgumentException>(() => ValueJson.FormatTimestamp(time, new char[ValueJson.MaxTimestampLength - 1]));
    }
}
