using Thaiyyal.Engine.Execution;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.Utilities;

public sealed class RateLimiterNodeTests
{
    private static readonly ExecutionLimits NoDeadline = ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.Zero };

    private static string InLoop(string items, string data, string concurrency = "1") => $$"""
        {'nodes':[{'id':'items','type':'test_value','data':{'value':{{items}} } },
                  {'id':'loop','type':'for_each','data':{'max_concurrency':{{concurrency}} } },
                  {'id':'rl','type':'rate_limiter','parentId':'loop','data':{{data}} }],
         'edges':[{'source':'items','target':'loop'}]}
        """;

    [Fact]
    public async Task The_first_request_passes_at_once()
    {
        var result = await RunAsync("""
            {'nodes':[{'id':'v','type':'test_value','data':{'value':1}},{'id':'rl','type':'rate_limiter','data':{'max_requests':5,'per_duration':'1s'}}],
             'edges':[{'source':'v','target':'rl'}]}
            """);
        Assert.Equal("""{"max_requests":5,"rate_limited":true,"requests_count":1,"value":1,"window":"1s"}""", ResultOf(result, "rl"));
    }

    [Fact]
    public async Task Requests_over_the_limit_wait_until_the_oldest_leaves_the_window()
    {
        var clock = new SteppedClock();
        var run = RunAsync(InLoop("['a','b','c','d']", "{'max_requests':2,'per_duration':'1s'}"), NewEngine(clock, limits: NoDeadline));
        // a and b pass at t0; c waits until they leave the window at t0 + 1s and is alone in it; d joins it there.
        Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(clock.HasPendingTimer);
        Assert.Equal(
            """[{"max_requests":2,"rate_limited":true,"requests_count":1,"value":"a","window":"1s"},"""
            + """{"max_requests":2,"rate_limited":true,"requests_count":2,"value":"b","window":"1s"},"""
            + """{"max_requests":2,"rate_limited":true,"requests_count":1,"value":"c","window":"1s"},"""
            + """{"max_requests":2,"rate_limited":true,"requests_count":2,"value":"d","window":"1s"}]""",
            ResultOf(result, "loop"));
    }

    [Fact]
    public async Task Concurrent_requests_queue_for_their_slots()
    {
        var clock = new SteppedClock();
        var run = RunAsync(InLoop("[1,2,3]", "{'max_requests':1,'per_duration':'1s'}", concurrency: "3"), NewEngine(clock, parallelism: 4, limits: NoDeadline));
        // One passes at once; the other two reserve the next two windows.
        var waits = new[] { await clock.NextTimerAsync(), await clock.NextTimerAsync() }.Order().ToArray();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], waits);
        clock.Advance(TimeSpan.FromSeconds(2));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.Success, result.Error?.Message);
    }

    [Theory]
    [InlineData("{'max_requests':0,'per_duration':'1s'}", "max_requests must be positive, got 0")]
    [InlineData("{'per_duration':'1s'}", "missing required field: max_requests")]
    [InlineData("{'max_requests':1}", "missing required field: per_duration")]
    public async Task Rejects_bad_data_before_running(string data, string reason)
    {
        var ex = await Assert.ThrowsAsync<WorkflowException>(() => RunAsync(InLoop("[1]", data)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'max_requests':1,'per_duration':'often'}", "invalid per_duration format: invalid duration format: often (use formats like '5s', '10m', '1h')")]
    [InlineData("{'max_requests':1,'per_duration':'1s','strategy':'sliding_window'}", "unsupported rate limit strategy: sliding_window (only fixed_window supported)")]
    public async Task Fails_on_bad_settings_when_it_runs(string data, string message)
    {
        var result = await RunAsync($$"""{'nodes':[{'id':'rl','type':'rate_limiter','data':{{data}} }],'edges':[]}""");
        Assert.Equal($"error executing node rl: {message}", Error(result));
    }
}
