using Thaiyyal.Engine.Execution;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.ControlFlow;

public sealed class WhileLoopNodeTests
{
    private static string Loop(string input, string data, string body = "", string bodyEdges = "") => $$"""
        {'nodes':[{'id':'in','type':'test_value','data':{'value':{{input}} } },{'id':'loop','type':'while_loop','data':{{data}} } {{body}}],
         'edges':[{'source':'in','target':'loop'} {{bodyEdges}}]}
        """;

    [Theory]
    [InlineData("5", "{'condition':'>10'}", """{"condition":">10","final_value":5,"iterations":0}""")]
    [InlineData("'abc'", "{'condition':'>0'}", """{"condition":">0","final_value":"abc","iterations":0}""")]
    [InlineData("{'value':3}", "{'condition':'>=5'}", """{"condition":">=5","final_value":{"value":3},"iterations":0}""")]
    [InlineData("5", "{'condition':'input > 1'}", """{"condition":"input > 1","final_value":5,"iterations":0}""")]
    public async Task Without_body_a_false_legacy_condition_ends_at_once(string input, string data, string expected)
    {
        var result = await RunAsync(Loop(input, data));
        Assert.Equal(expected, ResultOf(result, "loop"));
    }

    [Theory]
    [InlineData("5", "{'condition':'>0','max_iterations':25}", 25)]
    [InlineData("5", "{'condition':'>0'}", 100)]
    [InlineData("5", "{'condition':'true','max_iterations':0}", 100)]
    [InlineData("{'value':20}", "{'condition':'!=3','max_iterations':7}", 7)]
    public async Task Without_body_a_true_legacy_condition_runs_into_the_cap(string input, string data, int max)
    {
        var result = await RunAsync(Loop(input, data));
        Assert.Equal($"error executing node loop: while_loop exceeded max iterations: {max}", Error(result));
    }

    [Fact]
    public async Task Without_input_fails()
    {
        var result = await RunAsync("{'nodes':[{'id':'loop','type':'while_loop','data':{'condition':'>0'}}],'edges':[]}");
        Assert.Equal("error executing node loop: while_loop node needs at least 1 input", Error(result));
    }

    [Fact]
    public async Task Feeds_each_body_result_back_until_the_condition_fails()
    {
        var result = await RunAsync(Loop("1", "{'condition':'input < 100'}", ",{'id':'double','type':'expression','parentId':'loop','data':{'expression':'input * 2'}}"));
        Assert.Equal("""{"condition":"input < 100","final_value":128,"iterations":7}""", ResultOf(result, "loop"));
    }

    [Fact]
    public async Task Accepts_the_legacy_numeric_form_with_a_body()
    {
        var result = await RunAsync(Loop("1", "{'condition':'<10'}", ",{'id':'plus','type':'test_add','parentId':'loop','data':{'amount':3}}"));
        Assert.Equal("""{"condition":"<10","final_value":10,"iterations":3}""", ResultOf(result, "loop"));
    }

    [Fact]
    public async Task Binds_the_iteration_count_for_the_condition()
    {
        var result = await RunAsync(Loop("10", "{'condition':'iteration < 3'}", ",{'id':'plus','type':'test_add','parentId':'loop','data':{'amount':1}}"));
        Assert.Equal("""{"condition":"iteration < 3","final_value":13,"iterations":3}""", ResultOf(result, "loop"));
    }

    [Fact]
    public async Task Binds_item_and_index_for_the_body()
    {
        // 1 → 1+0 → 1+1 → 2+2 → 4+3 = 7, which ends the loop.
        var result = await RunAsync(Loop("1", "{'condition':'input < 5'}", ",{'id':'step','type':'expression','parentId':'loop','data':{'expression':'item + index'}}"));
        Assert.Equal("""{"condition":"input < 5","final_value":7,"iterations":4}""", ResultOf(result, "loop"));
    }

    [Fact]
    public async Task Fails_when_the_condition_still_holds_after_max_iterations()
    {
        var result = await RunAsync(Loop("0", "{'condition':'true','max_iterations':5}", ",{'id':'plus','type':'test_add','parentId':'loop','data':{}}"));
        Assert.Equal("error executing node loop: while_loop exceeded max iterations: 5", Error(result));
        Assert.Equal(7, result.NodesExecuted);
    }

    [Fact]
    public async Task Every_run_counts_as_a_loop_iteration()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxLoopIterations = 3 });
        var result = await RunAsync(Loop("0", "{'condition':'true'}", ",{'id':'plus','type':'test_add','parentId':'loop','data':{}}"), engine);
        Assert.Equal(ExecutionErrorKind.LimitExceeded, result.Error!.Kind);
        Assert.Equal("error executing node loop: maximum loop iterations exceeded: 4 (limit: 3)", result.Error.Message);
    }

    [Fact]
    public async Task A_failing_body_node_is_named_with_the_iteration()
    {
        // The second run hands the square node a string.
        var result = await RunAsync(Loop("2", "{'condition':'true'}",
            ",{'id':'pick','type':'expression','parentId':'loop','data':{'expression':'index == 1 ? \\'x\\' : input'}},{'id':'sq','type':'test_square','parentId':'loop','data':{}}",
            ",{'source':'pick','target':'sq'}"));
        Assert.Equal("error executing node loop: iteration 1: error executing node sq: cannot square string", Error(result));
    }

    [Fact]
    public async Task A_condition_that_cannot_be_evaluated_fails_the_node()
    {
        var result = await RunAsync(Loop("4", "{'condition':'input / 0 > 1'}", ",{'id':'plus','type':'test_add','parentId':'loop','data':{}}"));
        Assert.StartsWith("error executing node loop: while_loop condition evaluation failed: ", Error(result), StringComparison.Ordinal);
        Assert.Contains("division by zero", Error(result), StringComparison.Ordinal);
    }
}
