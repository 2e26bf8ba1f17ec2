using Thaiyyal.Engine.Execution;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.Utilities;

public sealed class DelayNodeTests
{
    private static readonly ExecutionLimits NoDeadline = ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.Zero };

    private static string Payload(string duration) => $$"""
        {'nodes':[{'id':'v','type':'test_value','data':{'value':1} },{'id':'d','type':'delay','data':{'duration':'{{duration}}'} }],
         'edges':[{'source':'v','target':'d'}]}
        """;

    [Fact]
    public async Task Sleeps_on_the_run_clock_then_passes_the_input_on()
    {
        var clock = new SteppedClock();
        var run = RunAsync(Payload("1m30s"), NewEngine(clock, limits: NoDeadline));
        Assert.Equal(TimeSpan.FromSeconds(90), await clock.NextTimerAsync());
        Assert.False(run.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(90));
        var result = await run;
        Assert.Equal("""{"delayed":true,"duration":"1m30s","value":1}""", ResultOf(result, "d"));
    }

    [Theory]
    [InlineData("250")]
    [InlineData("0")]
    [InlineData("-1s")]
    public async Task Accepts_bare_milliseconds_zero_and_negative_durations(string duration)
    {
        var result = await RunAsync(Payload(duration));
        Assert.Equal($$"""{"delayed":true,"duration":"{{duration}}","value":1}""", ResultOf(result, "d"));
    }

    [Fact]
    public async Task Without_input_outputs_null()
    {
        var result = await RunAsync("{'nodes':[{'id':'d','type':'delay','data':{'duration':'1ms'}}],'edges':[]}");
        Assert.Equal("""{"delayed":true,"duration":"1ms","value":null}""", ResultOf(result, "d"));
    }

    [Fact]
    public async Task Rejects_an_unparsable_duration_when_it_runs()
    {
        var result = await RunAsync(Payload("soon"));
        Assert.Equal("error executing node d: invalid duration format: invalid duration format: soon (use formats like '5s', '10m', '1h')", Error(result));
    }

    [Fact]
    public async Task Wakes_at_once_when_the_caller_cancels()
    {
        using var caller = new CancellationTokenSource();
        var clock = new SteppedClock();
        var run = RunAsync(Payload("24h"), NewEngine(clock, limits: NoDeadline), cancellationToken: caller.Token);
        await clock.NextTimerAsync();
        await caller.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ExecutionErrorKind.Cancelled, result.Error!.Kind);
    }

    [Fact]
    public async Task Is_stopped_by_the_run_deadline()
    {
        var clock = new SteppedClock();
        var run = RunAsync(Payload("1h"), NewEngine(clock, limits: ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.FromSeconds(5) }));
        Assert.Equal(TimeSpan.FromSeconds(5), await clock.NextTimerAsync());
        Assert.Equal(TimeSpan.FromHours(1), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromSeconds(5));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("workflow execution timeout: exceeded 5s", Error(result));
    }
}
