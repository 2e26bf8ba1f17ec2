using Thaiyyal.Server.Configuration;

namespace Thaiyyal.Server.Tests.Configuration;

public sealed class CommandLineFlagsTests
{
    private static CommandLineFlags Parse(params string[] args) => CommandLineFlags.Parse(args, SettingDefinitions.All);

    [Theory]
    [InlineData("-addr", ":9000")]
    [InlineData("--addr", ":9000")]
    public void Accepts_single_and_double_dash_with_a_separate_value(string flag, string value)
    {
        Assert.Equal(":9000", Parse(flag, value).Values["addr"]);
    }

    [Theory]
    [InlineData("-addr=:9000")]
    [InlineData("--addr=:9000")]
    public void Accepts_name_equals_value(string arg)
    {
        Assert.Equal(":9000", Parse(arg).Values["addr"]);
    }

    [Fact]
    public void The_last_of_repeated_flags_wins()
    {
        Assert.Equal("2m", Parse("-max-execution-time", "1m", "-max-execution-time=2m").Values["max-execution-time"]);
    }

    [Fact]
    public void Boolean_flags_take_no_separate_value()
    {
        var flags = Parse("-profiling", "-addr", ":1");
        Assert.Equal("true", flags.Values["profiling"]);
        Assert.Equal(":1", flags.Values["addr"]);
        Assert.Equal("false", Parse("-profiling=false").Values["profiling"]);
    }

    [Theory]
    [InlineData("flag provided but not defined: -nope", "-nope", "1")]
    [InlineData("flag needs an argument: -addr", "-addr")]
    [InlineData("unexpected argument: extra (the server takes flags only)", "extra")]
    [InlineData("bad flag syntax: ---addr", "---addr")]
    public void Reports_malformed_command_lines_like_go(string error, params string[] args)
    {
        Assert.Equal(error, Parse(args).Error);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-help")]
    [InlineData("--help")]
    public void Help_is_requested(string arg)
    {
        Assert.True(Parse(arg).HelpRequested);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("t", true)]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    [InlineData("F", false)]
    [InlineData("False", false)]
    public void Parses_booleans_like_strconv(string text, bool expected)
    {
        Assert.True(CommandLineFlags.TryParseBool(text, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Rejects_other_boolean_spellings()
    {
        Assert.False(CommandLineFlags.TryParseBool("yes", out _));
    }
}
