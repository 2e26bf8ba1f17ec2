using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Tests.Support;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes;

/// <summary>Body runs carry their scope and iteration on every event; scopes count against the limit that names them.</summary>
public sealed class ScopeIterationTests
{
    private static async Task<(ExecutionResult Result, RecordingObserver Observer)> ObserveAsync(string payload, WorkflowEngine? engine = null)
    {
        var observer = new RecordingObserver();
        var result = await RunAsync(payload, engine, new RunOptions { Observer = observer });
        return (result, observer);
    }

    private static string Frames(NodeEvent e) => string.Join("/", e.ScopePath.Select(f => $"{f.ScopeNodeId}[{f.Iteration?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}]"));

    [Fact]
    public async Task For_each_body_events_carry_the_element_index()
    {
        var (result, observer) = await ObserveAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':[2,3,4]}},{'id':'loop','type':'for_each','data':{}},
                      {'id':'sq','type':'test_square','parentId':'loop','data':{}}],
             'edges':[{'source':'in','target':'loop'}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        var completed = observer.Events.OfType<NodeCompletedEvent>().Where(e => e.NodeId == "sq").OrderBy(e => e.Iteration).ToList();
        Assert.Equal([0, 1, 2], completed.Select(e => e.Iteration!.Value));
        Assert.Equal(["4", "9", "16"], completed.Select(e => e.Result.ToString()));
        Assert.All(completed, e => Assert.Equal("loop", e.ScopeNodeId));
        Assert.Equal("loop[1]", Frames(completed[1]));
        var top = observer.Single<NodeCompletedEvent>("loop");
        Assert.Null(top.Iteration);
        Assert.Empty(top.ScopePath);
    }

    [Fact]
    public async Task Retry_numbers_its_attempts_and_nested_scopes_give_the_whole_path()
    {
        var (result, observer) = await ObserveAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':[1,2]}},{'id':'loop','type':'for_each','data':{}},
                      {'id':'r','type':'retry','parentId':'loop','data':{'max_attempts':3,'initial_delay':'0s'}},
                      {'id':'f','type':'test_flaky','parentId':'r','data':{'failures':1}}],
             'edges':[{'source':'in','target':'loop'}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        // The retry inside the for_each: element 0 fails once (attempt 0) and passes on attempt 1.
        var flaky = observer.Events.Where(e => e.NodeId == "f").ToList();
        Assert.Equal(["loop[0]/r[0]", "loop[0]/r[1]", "loop[1]/r[0]"], flaky.OfType<NodeStartedEvent>().Select(Frames));
        Assert.Equal("loop[0]/r[0]", Frames(flaky.OfType<NodeFailedEvent>().Single()));
        Assert.All(flaky, e => Assert.Equal("r", e.ScopeNodeId));
    }

    [Fact]
    public async Task While_loop_body_events_carry_the_iteration()
    {
        var (result, observer) = await ObserveAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':2}},{'id':'w','type':'while_loop','data':{'condition':'iteration < 3'}},
                      {'id':'sq','type':'test_square','parentId':'w','data':{}}],
             'edges':[{'source':'in','target':'w'}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        Assert.Equal([0, 1, 2], observer.Events.OfType<NodeStartedEvent>().Where(e => e.NodeId == "sq").Select(e => e.Iteration!.Value));
    }

    [Fact]
    public async Task Try_catch_and_timeout_bodies_run_once_without_an_iteration_and_do_not_count_as_loop_iterations()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxLoopIterations = 1 });
        var (result, observer) = await ObserveAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':3}},
                      {'id':'t1','type':'try_catch','data':{}},{'id':'a','type':'test_square','parentId':'t1','data':{}},
                      {'id':'t2','type':'try_catch','data':{}},{'id':'b','type':'test_square','parentId':'t2','data':{}},
                      {'id':'to','type':'timeout','data':{'timeout':'1h'}},{'id':'c','type':'test_square','parentId':'to','data':{}}],
             'edges':[{'source':'in','target':'t1'},{'source':'in','target':'t2'},{'source':'in','target':'to'}]}
            """, engine);
        Assert.True(result.Success, result.Error?.Message);
        var inside = observer.Single<NodeStartedEvent>("b");
        Assert.Equal("t2", inside.ScopeNodeId);
        Assert.Null(inside.Iteration);
        Assert.Equal("t2[-]", Frames(inside));
    }

    [Fact]
    public async Task Loops_still_count_against_the_loop_limit()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxLoopIterations = 1 });
        var result = await RunAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':[1,2]}},{'id':'loop','type':'for_each','data':{}},
                      {'id':'sq','type':'test_square','parentId':'loop','data':{}}],
             'edges':[{'source':'in','target':'loop'}]}
            """, engine);
        Assert.Equal("loop_iterations", result.Error?.Limit);
    }

    [Fact]
    public async Task A_failure_inside_nested_scopes_names_the_innermost_node_and_the_path()
    {
        var result = await RunAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':[1,2]}},{'id':'loop','type':'for_each','data':{}},
                      {'id':'guard','type':'try_catch','parentId':'loop','data':{'continue_on_error':false}},
                      {'id':'bad','type':'test_raise','parentId':'guard','data':{}}],
             'edges':[{'source':'in','target':'loop'}]}
            """);
        var error = result.Error!;
        Assert.Equal("loop", error.NodeId);
        Assert.Equal("bad", error.InnermostNodeId);
        Assert.Equal([new ScopeFrame("loop", 0), new ScopeFrame("guard", null)], error.ScopePath);
    }

    [Fact]
    public void Errors_with_the_same_scope_path_are_equal_whatever_list_holds_it()
    {
        var error = new ExecutionError(ExecutionErrorKind.NodeFailed, "m", "loop") { InnermostNodeId = "bad", ScopePath = [new ScopeFrame("loop", 0)] };
        var same = error with { ScopePath = new List<ScopeFrame> { new("loop", 0) } };
        var other = error with { ScopePath = [new ScopeFrame("loop", 1)] };
        Assert.Equal(error, same);
        Assert.Equal(error.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(error, other);
        Assert.NotEqual(error, error with { InnermostNodeId = "loop" });
    }

    [Fact]
    public async Task A_top_level_failure_has_an_empty_path()
    {
        var result = await RunAsync("{'nodes':[{'id':'in','type':'test_value','data':{'value':1}},{'id':'bad','type':'test_raise','data':{}}],'edges':[{'source':'in','target':'bad'}]}");
        Assert.Equal("bad", result.Error!.InnermostNodeId);
        Assert.Empty(result.Error.ScopePath);
    }

    [Fact]
    public async Task Nodes_abandoned_at_the_deadline_emit_node_cancelled()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxExecutionTime = TimeSpan.FromMilliseconds(200) });
        engine.Registry.Register(new SleepNode());
        var (result, observer) = await ObserveAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':[1]}},{'id':'loop','type':'for_each','data':{}},
                      {'id':'nap','type':'test_sleep','parentId':'loop','data':{'ms':600000}}],
             'edges':[{'source':'in','target':'loop'}]}
            """, engine);
        Assert.Equal(ExecutionErrorKind.Timeout, result.Error?.Kind);
        var nap = observer.Single<NodeCancelledEvent>("nap");
        Assert.Equal(0, nap.Iteration);
        observer.Single<NodeCancelledEvent>("loop");
        Assert.DoesNotContain(observer.Events, e => e is NodeCompletedEvent { NodeId: "nap" or "loop" });
    }

    [Fact]
    public async Task For_each_concurrency_stays_within_the_engines_parallelism()
    {
        var engine = NewEngine(parallelism: 2);
        engine.Registry.Register(new InFlightNode());
        var result = await RunAsync("""
            {'nodes':[{'id':'in','type':'test_value','data':{'value':[1,2,3,4,5,6,7,8,9,10,11,12]}},{'id':'loop','type':'for_each','data':{'max_concurrency':1024}},
                      {'id':'probe','type':'test_in_flight','parentId':'loop','data':{}}],
             'edges':[{'source':'in','target':'loop'}]}
            """, engine);
        Assert.True(result.Success, result.Error?.Message);
        var peak = result.NodeResults["loop"].AsArray().Max(v => v.AsNumber());
        Assert.InRange(peak, 1, 2);
    }
}

/// <summary><c>test_in_flight</c>: yields for a while and reports the most executions of this node type seen in flight at once.</summary>
internal sealed class InFlightNode : Thaiyyal.Engine.Nodes.NodeExecutor<NoOptions>
{
    private int _inFlight;
    private int _peak;

    public override Thaiyyal.Engine.Nodes.NodeDescriptor Descriptor { get; } = new("test_in_flight", Thaiyyal.Engine.Nodes.NodeCategories.Custom, "In flight", "Counts concurrent runs", []);

    protected override bool IsIndependent(NoOptions options) => true;

    protected override NoOptions BindOptions(Thaiyyal.Engine.Nodes.NodeData data) => NoOptions.Instance;

    protected override async ValueTask<Thaiyyal.Engine.Workflows.Value> ExecuteAsync(NodeContext context, NoOptions options)
    {
        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _peak, now);
        try
        {
            await Task.Delay(20, context.CancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
        return Thaiyyal.Engine.Workflows.Value.From(Volatile.Read(ref _peak));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
