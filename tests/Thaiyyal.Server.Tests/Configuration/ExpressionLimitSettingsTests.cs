using Thaiyyal.Server.Configuration;

namespace Thaiyyal.Server.Tests.Configuration;

public sealed class ExpressionLimitSettingsTests
{
    private static SettingsLoadResult Load(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ServerSettingsLoader.Load(args, environment);

    [Fact]
    public void Expression_limits_default_to_16_KiB_and_64_levels()
    {
        var limits = Load(new Dictionary<string, string>()).Settings!.Limits;
        Assert.Equal(16384, limits.MaxExpressionLength);
        Assert.Equal(64, limits.MaxExpressionDepth);
    }

    [Fact]
    public void Expression_limits_come_from_variables_and_flags()
    {
        var limits = Load(new Dictionary<string, string> { ["MAX_EXPRESSION_LENGTH"] = "500", ["MAX_EXPRESSION_DEPTH"] = "9" }, "-max-expression-depth", "12").Settings!.Limits;
        Assert.Equal(500, limits.MaxExpressionLength);
        Assert.Equal(12, limits.MaxExpressionDepth);
    }

    [Theory]
    [InlineData("0", "must be at least 1")]
    [InlineData("5000", "must be at most 1024")]
    public void A_depth_outside_its_range_is_refused(string depth, string problem)
    {
        var result = Load(new Dictionary<string, string>(), "-max-expression-depth", depth);
        Assert.Null(result.Settings);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }
}
