using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Nodes.ErrorHandling;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.ErrorHandling;

public sealed class RetryNodeTests
{
    private static readonly ExecutionLimits NoDeadline = ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.Zero };

    private static string WithInput(string input, string retryData) => $$"""
        {'nodes':[{'id':'in','type':'test_value','data':{'value':{{input}} } },{'id':'r','type':'retry','data':{{retryData}} }],
         'edges':[{'source':'in','target':'r'}]}
        """;

    private static string WithBody(string retryData, string body, string bodyEdges = "") => $$"""
        {'nodes':[{'id':'in','type':'test_value','data':{'value':7} },{'id':'r','type':'retry','data':{{retryData}} } {{body}}],
         'edges':[{'source':'in','target':'r'} {{bodyEdges}}]}
        """;

    [Theory]
    [InlineData("{'max_attempts':3}")]
    [InlineData("{'max_attempts':0}")]
    [InlineData("{'max_attempts':-2}")]
    public async Task Without_body_passes_a_value_through_at_the_first_attempt(string data)
    {
        var result = await RunAsync(WithInput("42", data));
        Assert.Equal("""{"attempts":1,"success":true,"value":42}""", ResultOf(result, "r"));
    }

    [Fact]
    public async Task Without_body_an_error_input_sleeps_the_back_off_then_fails()
    {
        var clock = new SteppedClock();
        var run = RunAsync(WithInput("{'error':'boom'}", "{'max_attempts':3}"), NewEngine(clock, limits: NoDeadline));
        Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromSeconds(2));
        var result = await run;
        Assert.Equal("error executing node r: max retry attempts (3) reached: boom", Error(result));
        Assert.False(clock.HasPendingTimer);
    }

    [Fact]
    public async Task Without_body_an_error_outside_the_retry_list_fails_at_once()
    {
        var result = await RunAsync(WithInput("{'error':'boom'}", "{'retry_on_errors':['timeout','503']}"), NewEngine(new SteppedClock(), limits: NoDeadline));
        Assert.Equal("error executing node r: error not in retry list: boom", Error(result));
    }

    [Fact]
    public async Task Without_body_a_non_string_error_has_an_empty_message()
    {
        var result = await RunAsync(WithInput("{'error':{'code':5}}", "{'max_attempts':1}"));
        Assert.Equal("error executing node r: max retry attempts (1) reached: ", Error(result));
    }

    [Fact]
    public async Task Without_input_fails()
    {
        var result = await RunAsync("{'nodes':[{'id':'r','type':'retry','data':{}}],'edges':[]}");
        Assert.Equal("error executing node r: retry node requires at least one input", Error(result));
    }

    [Fact]
    public async Task Runs_the_body_again_after_failures_with_exponential_back_off()
    {
        var clock = new SteppedClock();
        var run = RunAsync(
            WithBody("{'max_attempts':4,'initial_delay':'1s','multiplier':3}", ",{'id':'f','type':'test_flaky','parentId':'r','data':{'failures':2}}"),
            NewEngine(clock, limits: NoDeadline));
        Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(3), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromSeconds(3));
        var result = await run;
        Assert.Equal("""{"attempts":3,"success":true,"value":{"call":3,"value":7}}""", ResultOf(result, "r"));
        Assert.False(clock.HasPendingTimer);
    }

    [Fact]
    public async Task Gives_up_after_max_attempts_naming_the_failing_body_node()
    {
        var result = await RunAsync(
            WithBody("{'max_attempts':2,'initial_delay':'0s'}", ",{'id':'f','type':'test_flaky','parentId':'r','data':{'failures':5,'message':'HTTP 503'}}"));
        Assert.Equal("error executing node r: max retry attempts (2) reached: error executing node f: HTTP 503 (call 2)", Error(result));
        Assert.Equal("r", result.Error!.NodeId);
    }

    [Fact]
    public async Task Retries_only_errors_in_the_retry_list()
    {
        var retried = await RunAsync(WithBody("{'initial_delay':'0s','retry_on_errors':['503']}",
            ",{'id':'f','type':'test_flaky','parentId':'r','data':{'failures':1,'message':'HTTP 503'}}"));
        Assert.Equal("""{"attempts":2,"success":true,"value":{"call":2,"value":7}}""", ResultOf(retried, "r"));

        var notRetried = await RunAsync(WithBody("{'initial_delay':'0s','retry_on_errors':['503']}",
            ",{'id':'f','type':'test_flaky','parentId':'r','data':{'failures':1,'message':'HTTP 400'}}"));
        Assert.Equal("error executing node r: error not in retry list: error executing node f: HTTP 400 (call 1)", Error(notRetried));
        Assert.Equal(3, notRetried.NodesExecuted);
    }

    [Fact]
    public async Task Treats_an_error_object_from_the_body_as_a_failure()
    {
        var result = await RunAsync(WithBody("{'max_attempts':2,'initial_delay':'0s'}", ",{'id':'f','type':'test_raise','parentId':'r','data':{'soft':true,'message':'not an array'}}"));
        Assert.Equal("error executing node r: max retry attempts (2) reached: not an array", Error(result));
        Assert.Equal(4, result.NodesExecuted);
    }

    [Fact]
    public async Task Does_not_retry_a_limit_breach_inside_the_body()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxNodeExecutions = 3 });
        var result = await RunAsync(WithBody("{'max_attempts':5,'initial_delay':'0s'}",
            ",{'id':'a','type':'test_add','parentId':'r','data':{}},{'id':'b','type':'test_add','parentId':'r','data':{}}",
            ",{'source':'a','target':'b'}"), engine);
        Assert.Equal(ExecutionErrorKind.LimitExceeded, result.Error!.Kind);
        Assert.Contains("maximum node executions exceeded: 4 (limit: 3)", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_attempt_counts_as_a_loop_iteration()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxLoopIterations = 2 });
        var result = await RunAsync(WithBody("{'max_attempts':5,'initial_delay':'0s'}", ",{'id':'f','type':'test_flaky','parentId':'r','data':{'failures':4}}"), engine);
        Assert.Equal(ExecutionErrorKind.LimitExceeded, result.Error!.Kind);
        Assert.Equal("error executing node r: maximum loop iterations exceeded: 3 (limit: 2)", result.Error.Message);
    }

    [Fact]
    public async Task Cancelling_the_run_interrupts_the_back_off()
    {
        using var caller = new CancellationTokenSource();
        var clock = new SteppedClock();
        var run = RunAsync(WithBody("{'initial_delay':'1h','max_delay':'2h'}", ",{'id':'f','type':'test_flaky','parentId':'r','data':{'failures':1}}"),
            NewEngine(clock, limits: NoDeadline), cancellationToken: caller.Token);
        Assert.Equal(TimeSpan.FromHours(1), await clock.NextTimerAsync());
        await caller.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ExecutionErrorKind.Cancelled, result.Error!.Kind);
    }

    [Theory]
    [InlineData("exponential", 1, 1000)]
    [InlineData("exponential", 2, 2000)]
    [InlineData("exponential", 3, 4000)]
    [InlineData("exponential", 6, 30000)]
    [InlineData("linear", 1, 1000)]
    [InlineData("linear", 3, 3000)]
    [InlineData("constant", 5, 1000)]
    [InlineData("fibonacci", 5, 1000)]
    public void Back_off_grows_per_strategy_and_stops_at_max_delay(string strategy, int attempt, int expectedMs)
    {
        var options = new RetryNode.Options(10, strategy, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 2, []);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.DelayAfter(attempt));
    }

    [Fact]
    public async Task Unparsable_delays_fall_back_to_the_defaults()
    {
        var clock = new SteppedClock();
        var run = RunAsync(WithInput("{'error':'x'}", "{'max_attempts':2,'initial_delay':'soon','max_delay':'later'}"), NewEngine(clock, limits: NoDeadline));
        Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("error executing node r: max retry attempts (2) reached: x", Error(await run));
    }
}
