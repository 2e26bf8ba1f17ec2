using Thaiyyal.Engine.Execution;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.Utilities;

public sealed class ThrottleNodeTests
{
    private static readonly ExecutionLimits NoDeadline = ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.Zero };

    [Fact]
    public async Task The_first_execution_is_not_delayed()
    {
        var result = await RunAsync("""
            {'nodes':[{'id':'v','type':'test_value','data':{'value':'x'}},{'id':'th','type':'throttle','data':{'requests_per_second':50}}],
             'edges':[{'source':'v','target':'th'}]}
            """);
        Assert.Equal("""{"delay_ms":0,"requests_per_second":50,"throttled":true,"value":"x"}""", ResultOf(result, "th"));
    }

    [Fact]
    public async Task Later_executions_are_spaced_by_one_over_the_rate()
    {
        var clock = new SteppedClock();
        var run = RunAsync("""
            {'nodes':[{'id':'items','type':'test_value','data':{'value':[1,2,3]}},{'id':'loop','type':'for_each','data':{}},
                      {'id':'th','type':'throttle','parentId':'loop','data':{'requests_per_second':4}}],
             'edges':[{'source':'items','target':'loop'}]}
            """, NewEngine(clock, limits: NoDeadline));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(250), await clock.NextTimerAsync());
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(
            """[{"delay_ms":0,"requests_per_second":4,"throttled":true,"value":1},{"delay_ms":250,"requests_per_second":4,"throttled":true,"value":2},{"delay_ms":250,"requests_per_second":4,"throttled":true,"value":3}]""",
            ResultOf(result, "loop"));
    }

    [Theory]
    [InlineData("0", "0.000000")]
    [InlineData("-1.5", "-1.500000")]
    public async Task Rejects_a_rate_that_is_not_positive(string rps, string printed)
    {
        var result = await RunAsync($$"""{'nodes':[{'id':'th','type':'throttle','data':{'requests_per_second':{{rps}} } }],'edges':[]}""");
        Assert.Equal($"error executing node th: requests_per_second must be positive, got {printed}", Error(result));
    }
}
