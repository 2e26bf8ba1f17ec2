using System.CommandLine;

namespace Thaiyyal.Cli.Tests;

public sealed class LimitOptionsTests
{
    private static (ParseResult Result, LimitOptions Options) Parse(params string[] args)
    {
        var options = new LimitOptions();
        var command = new RootCommand();
        foreach (var option in options.All) command.Options.Add(option);
        return (command.Parse(args), options);
    }

    [Fact]
    public void Expression_limits_are_options_with_the_engines_defaults()
    {
        var (result, options) = Parse();
        Assert.Empty(result.Errors);
        Assert.Equal(16 * 1024, options.Read(result).MaxExpressionLength);
        Assert.Equal(64, options.Read(result).MaxExpressionDepth);
    }

    [Fact]
    public void Expression_limits_are_read_from_the_command_line()
    {
        var (result, options) = Parse("--max-expression-length", "100", "--max-expression-depth", "8");
        Assert.Empty(result.Errors);
        var limits = options.Read(result);
        Assert.Equal(100, limits.MaxExpressionLength);
        Assert.Equal(8, limits.MaxExpressionDepth);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    public void An_expression_depth_outside_1_to_1024_is_refused(string depth)
    {
        var (result, _) = Parse("--max-expression-depth", depth);
        Assert.Contains(result.Errors, e => e.Message == "--max-expression-depth must be between 1 and 1024");
    }
}
