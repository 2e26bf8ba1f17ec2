using Thaiyyal.Server.Configuration;

namespace Thaiyyal.Server.Tests.Configuration;

public sealed class CommandLineFlagsTests
{
    private static CommandLineFlags Parse(params string[] args) => CommandLineFlags.Parse(args, SettingDefinitions.All);

    /// <summary>What the command-line layer of the configuration holds for <paramref name="flag"/> after parsing.</summary>
    private static (string Text, SettingSource Source) Value(CommandLineFlags flags, string flag) =>
        ServerConfiguration.Lookup(ServerConfiguration.Build(flags, new Dictionary<string, string>(), null), flag);

    [Theory]
    [InlineData("-addr", ":9000")]
    [InlineData("--addr", ":9000")]
    public void Accepts_single_and_double_dash_with_a_separate_value(string flag, string value)
    {
        Assert.Equal((":9000", SettingSource.Flag), Value(Parse(flag, value), "addr"));
    }

    [Theory]
    [InlineData("-addr=:9000")]
    [InlineData("--addr=:9000")]
    public void Accepts_name_equals_value(string arg)
    {
        Assert.Equal((":9000", SettingSource.Flag), Value(Parse(arg), "addr"));
    }

    [Fact]
    public void The_last_of_repeated_flags_wins()
    {
        Assert.Equal("2m", Value(Parse("-max-execution-time", "1m", "-max-execution-time=2m"), "max-execution-time").Text);
    }

    [Fact]
    public void Boolean_flags_take_no_separate_value()
    {
        var flags = Parse("-profiling", "-addr", ":1");
        Assert.Equal("true", Value(flags, "profiling").Text);
        Assert.Equal(":1", Value(flags, "addr").Text);
        Assert.Equal("false", Value(Parse("-profiling=false"), "profiling").Text);
        Assert.Equal(("false", SettingSource.Default), Value(Parse(), "profiling"));
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

    [Fact]
    public void A_value_that_looks_like_a_flag_belongs_to_the_flag_before_it_and_nothing_after_the_terminator_is_read()
    {
        Assert.Equal("-1", Value(Parse("-max-http-calls", "-1"), "max-http-calls").Text);
        Assert.Equal(("100", SettingSource.Default), Value(Parse("--", "-max-http-calls", "5"), "max-http-calls"));
        Assert.Equal("unexpected argument: -max-http-calls (the server takes flags only)", Parse("--", "-max-http-calls", "5").Error);
    }

    [Fact]
    public void Flag_names_are_case_sensitive_like_go()
    {
        Assert.Equal("flag provided but not defined: -ADDR", Parse("-ADDR", ":1").Error);
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
