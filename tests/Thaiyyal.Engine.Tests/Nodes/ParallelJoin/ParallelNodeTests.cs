using Thaiyyal.Engine.Execution;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.ParallelJoin;

public sealed class ParallelNodeTests
{
    [Theory]
    [InlineData("{'max_concurrency':4}", 4)]
    [InlineData("{}", 10)]
    [InlineData("{'max_concurrency':0}", 10)]
    [InlineData("{'max_concurrency':-3}", 10)]
    public async Task Collects_every_input_in_edge_order(string data, int concurrency)
    {
        var result = await RunAsync($$"""
            {'nodes':[{'id':'a','type':'test_value','data':{'value':1} },{'id':'b','type':'test_value','data':{'value':'two'} },
                      {'id':'par','type':'parallel','data':{{data}} }],
             'edges':[{'source':'b','target':'par'},{'source':'a','target':'par'}]}
            """);
        Assert.Equal($$"""{"concurrency":{{concurrency}},"count":2,"results":["two",1]}""", ResultOf(result, "par"));
    }

    [Fact]
    public async Task Without_input_fails()
    {
        var result = await RunAsync("{'nodes':[{'id':'par','type':'parallel','data':{}}],'edges':[]}");
        Assert.Equal("error executing node par: parallel node requires at least one input", Error(result));
    }

    [Fact]
    public async Task Branches_feeding_it_run_at_the_same_time()
    {
        var observer = new RecordingObserver();
        var result = await RunAsync("""
            {'nodes':[{'id':'v','type':'test_value','data':{'value':1}},
                      {'id':'left','type':'delay','data':{'duration':'200ms'}},{'id':'right','type':'delay','data':{'duration':'200ms'}},
                      {'id':'par','type':'parallel','data':{}}],
             'edges':[{'source':'v','target':'left'},{'source':'v','target':'right'},{'source':'left','target':'par'},{'source':'right','target':'par'}]}
            """, NewEngine(parallelism: 4), new RunOptions { Observer = observer });
        Assert.Equal(
            """{"concurrency":10,"count":2,"results":[{"delayed":true,"duration":"200ms","value":1},{"delayed":true,"duration":"200ms","value":1}]}""",
            ResultOf(result, "par"));
        // Each delay started before the other one completed: their intervals overlap.
        var leftStart = observer.Single<NodeStartedEvent>("left").Timestamp;
        var leftEnd = observer.Single<NodeCompletedEvent>("left").Timestamp;
        var rightStart = observer.Single<NodeStartedEvent>("right").Timestamp;
        var rightEnd = observer.Single<NodeCompletedEvent>("right").Timestamp;
        Assert.True(leftStart < rightEnd && rightStart < leftEnd, $"left {leftStart:O}–{leftEnd:O}, right {rightStart:O}–{rightEnd:O}");
    }

    [Fact]
    public async Task With_one_worker_the_branches_run_one_after_the_other()
    {
        var observer = new RecordingObserver();
        await RunAsync("""
            {'nodes':[{'id':'v','type':'test_value','data':{'value':1}},
                      {'id':'left','type':'delay','data':{'duration':'20ms'}},{'id':'right','type':'delay','data':{'duration':'20ms'}},
                      {'id':'par','type':'parallel','data':{}}],
             'edges':[{'source':'v','target':'left'},{'source':'v','target':'right'},{'source':'left','target':'par'},{'source':'right','target':'par'}]}
            """, NewEngine(parallelism: 1), new RunOptions { Observer = observer });
        Assert.True(observer.Single<NodeCompletedEvent>("left").Timestamp <= observer.Single<NodeStartedEvent>("right").Timestamp);
    }
}
