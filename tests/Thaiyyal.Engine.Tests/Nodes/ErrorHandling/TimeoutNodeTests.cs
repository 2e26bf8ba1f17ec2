using Thaiyyal.Engine.Execution;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.ErrorHandling;

public sealed class TimeoutNodeTests
{
    private static readonly ExecutionLimits NoDeadline = ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.Zero };

    private static string WithInput(string input, string data) => $$"""
        {'nodes':[{'id':'in','type':'test_value','data':{'value':{{input}} } },{'id':'t','type':'timeout','data':{{data}} }],
         'edges':[{'source':'in','target':'t'}]}
        """;

    private static string WithBody(string data, string body, string bodyEdges = "") => $$"""
        {'nodes':[{'id':'in','type':'test_value','data':{'value':4} },{'id':'t','type':'timeout','data':{{data}} } {{body}}],
         'edges':[{'source':'in','target':'t'} {{bodyEdges}}]}
        """;

    [Theory]
    [InlineData("{'execution_time':'45s'}", "{'timeout':'30s','timeout_action':'continue_with_partial'}",
        """{"execution_time":"45s","partial_result":true,"timed_out":true,"timeout_duration":"30s","timeout_exceeded":true,"value":{"execution_time":"45s"}}""")]
    [InlineData("{'execution_time':'10s'}", "{'timeout':'30s'}",
        """{"execution_time":"10s","timed_out":false,"timeout_duration":"30s","value":{"execution_time":"10s"}}""")]
    [InlineData("5", "{'timeout':'90s'}", """{"execution_time":"0s","timed_out":false,"timeout_duration":"1m30s","value":5}""")]
    [InlineData("{'execution_time':'2m'}", "{'timeout':'1m','timeout_action':'ignore'}",
        """{"execution_time":"2m0s","partial_result":true,"timed_out":true,"timeout_duration":"1m0s","timeout_exceeded":true,"value":{"execution_time":"2m"}}""")]
    public async Task Without_body_checks_the_reported_execution_time(string input, string data, string expected)
    {
        var result = await RunAsync(WithInput(input, data));
        Assert.Equal(expected, ResultOf(result, "t"));
    }

    [Theory]
    [InlineData("{'execution_time':'1m30s'}", "{'timeout':'1m','timeout_action':'error'}", "operation timed out after 1m30s (limit: 1m0s)")]
    [InlineData("1", "{'timeout':'soon'}", "invalid timeout duration: soon")]
    public async Task Without_body_fails(string input, string data, string message)
    {
        var result = await RunAsync(WithInput(input, data));
        Assert.Equal($"error executing node t: {message}", Error(result));
    }

    [Fact]
    public async Task A_missing_timeout_is_rejected_before_running()
    {
        var ex = await Assert.ThrowsAsync<WorkflowException>(() => RunAsync(WithInput("1", "{}")));
        Assert.Contains("missing required field: timeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Returns_the_body_result_when_it_finishes_in_time()
    {
        var clock = new SteppedClock();
        var run = RunAsync(WithBody("{'timeout':'1s'}",
            ",{'id':'wait','type':'delay','parentId':'t','data':{'duration':'200ms'}}"), NewEngine(clock, limits: NoDeadline));
        Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());
        Assert.Equal(TimeSpan.FromMilliseconds(200), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var result = await run;
        Assert.Equal(
            """{"execution_time":"200ms","timed_out":false,"timeout_duration":"1s","value":{"delayed":true,"duration":"200ms","value":4}}""",
            ResultOf(result, "t"));
    }

    [Fact]
    public async Task Cancels_the_body_and_fails_when_the_limit_passes()
    {
        var clock = new SteppedClock();
        var run = RunAsync(WithBody("{'timeout':'1s','timeout_action':'error'}", ",{'id':'wait','type':'delay','parentId':'t','data':{'duration':'1h'}}"),
            NewEngine(clock, limits: NoDeadline));
        Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());
        Assert.Equal(TimeSpan.FromHours(1), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("error executing node t: operation timed out after 1s (limit: 1s)", Error(result));
        Assert.Equal(ExecutionErrorKind.NodeFailed, result.Error!.Kind);
    }

    [Fact]
    public async Task Reports_a_partial_result_when_told_to_continue()
    {
        var clock = new SteppedClock();
        var run = RunAsync(WithBody("{'timeout':'500ms','timeout_action':'continue_with_partial'}",
            ",{'id':'wait','type':'delay','parentId':'t','data':{'duration':'1h'}}"), NewEngine(clock, limits: NoDeadline));
        await clock.NextTimerAsync();
        await clock.NextTimerAsync();
        clock.Advance(TimeSpan.FromMilliseconds(500));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(
            """{"execution_time":"500ms","partial_result":true,"timed_out":true,"timeout_duration":"500ms","timeout_exceeded":true,"value":4}""",
            ResultOf(result, "t"));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_reported_as_a_timeout()
    {
        using var caller = new CancellationTokenSource();
        var clock = new SteppedClock();
        var run = RunAsync(WithBody("{'timeout':'1m','timeout_action':'continue_with_partial'}", ",{'id':'wait','type':'delay','parentId':'t','data':{'duration':'1h'}}"),
            NewEngine(clock, limits: NoDeadline), cancellationToken: caller.Token);
        await clock.NextTimerAsync();
        await clock.NextTimerAsync();
        await caller.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ExecutionErrorKind.Cancelled, result.Error!.Kind);
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried()
    {
        var clock = new SteppedClock();
        var run = RunAsync("""
            {'nodes':[
              {'id':'in','type':'test_value','data':{'value':1}},
              {'id':'r','type':'retry','data':{'max_attempts':2,'initial_delay':'0s'}},
              {'id':'t','type':'timeout','parentId':'r','data':{'timeout':'1s'}},
              {'id':'wait','type':'delay','parentId':'t','data':{'duration':'1h'}}],
             'edges':[{'source':'in','target':'r'}]}
            """, NewEngine(clock, limits: NoDeadline));
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());
            Assert.Equal(TimeSpan.FromHours(1), await clock.NextTimerAsync());
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("error executing node r: max retry attempts (2) reached: error executing node t: operation timed out after 1s (limit: 1s)", Error(result));
    }
}
