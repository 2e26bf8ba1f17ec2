using Thaiyyal.Engine.Execution;
using static Thaiyyal.Engine.Tests.Nodes.ScopeTestSupport;

namespace Thaiyyal.Engine.Tests.Nodes.ErrorHandling;

public sealed class TryCatchNodeTests
{
    private static string WithInput(string input, string data) => $$"""
        {'nodes':[{'id':'in','type':'test_value','data':{'value':{{input}} } },{'id':'tc','type':'try_catch','data':{{data}} }],
         'edges':[{'source':'in','target':'tc'}]}
        """;

    private static string WithBody(string data, string body) => $$"""
        {'nodes':[{'id':'in','type':'test_value','data':{'value':3} },{'id':'tc','type':'try_catch','data':{{data}} } {{body}},
                  {'id':'after','type':'test_vars','data':{} }],
         'edges':[{'source':'in','target':'tc'},{'source':'tc','target':'after'}]}
        """;

    [Fact]
    public async Task Without_body_passes_a_value_through()
    {
        var result = await RunAsync(WithInput("[1]", "{'fallback_value':0}"));
        Assert.Equal("""{"error_caught":false,"value":[1]}""", ResultOf(result, "tc"));
    }

    [Theory]
    [InlineData("{'error':'boom'}", "{'fallback_value':0}", """{"error_caught":true,"error_message":"boom","value":0}""")]
    [InlineData("{'error':'boom'}", "{'error_output_path':'errors'}", """{"error_caught":true,"error_message":"boom","error_output_path":"errors","value":null}""")]
    [InlineData("{'error':[1,2]}", "{'fallback_value':'x'}", """{"error_caught":true,"error_message":"[1 2]","value":"x"}""")]
    public async Task Without_body_catches_an_error_object(string input, string data, string expected)
    {
        var result = await RunAsync(WithInput(input, data));
        Assert.Equal(expected, ResultOf(result, "tc"));
    }

    [Fact]
    public async Task Without_body_fails_when_told_not_to_continue()
    {
        var result = await RunAsync(WithInput("{'error':'disk full'}", "{'continue_on_error':false}"));
        Assert.Equal("error executing node tc: error caught: disk full", Error(result));
    }

    [Fact]
    public async Task Without_input_fails()
    {
        var result = await RunAsync("{'nodes':[{'id':'tc','type':'try_catch','data':{}}],'edges':[]}");
        Assert.Equal("error executing node tc: try-catch node requires at least one input", Error(result));
    }

    [Fact]
    public async Task Passes_the_body_result_on_when_nothing_fails()
    {
        var result = await RunAsync(WithBody("{'fallback_value':-1}", ",{'id':'sq','type':'test_square','parentId':'tc','data':{}}"));
        Assert.Equal("""{"error_caught":false,"value":9}""", ResultOf(result, "tc"));
    }

    [Fact]
    public async Task Catches_a_failing_body_node_and_the_run_continues()
    {
        var result = await RunAsync(WithBody("{'fallback_value':-1,'error_output_path':'errors'}",
            ",{'id':'sq','type':'test_square','parentId':'tc','data':{}},{'id':'bad','type':'test_raise','parentId':'tc','data':{'message':'boom'}}"));
        Assert.Equal(
            """{"error_caught":true,"error_message":"error executing node bad: boom","error_output_path":"errors","value":-1}""",
            ResultOf(result, "tc"));
        Assert.True(result.NodeResults.ContainsKey("after"));
    }

    [Fact]
    public async Task Catches_an_error_object_from_the_body()
    {
        var result = await RunAsync(WithBody("{'fallback_value':[]}", ",{'id':'bad','type':'test_raise','parentId':'tc','data':{'soft':true,'message':'input is not an array'}}"));
        Assert.Equal("""{"error_caught":true,"error_message":"input is not an array","value":[]}""", ResultOf(result, "tc"));
    }

    [Fact]
    public async Task Re_raises_the_body_failure_when_told_not_to_continue()
    {
        var result = await RunAsync(WithBody("{'continue_on_error':false}", ",{'id':'bad','type':'test_raise','parentId':'tc','data':{'message':'boom'}}"));
        Assert.Equal("error executing node tc: error executing node bad: boom", Error(result));
        Assert.False(result.NodeResults.ContainsKey("after"));
    }

    [Fact]
    public async Task Does_not_catch_a_limit_breach()
    {
        var engine = NewEngine(limits: ExecutionLimits.Default with { MaxNodeExecutions = 2 });
        var result = await RunAsync(WithBody("{}", ",{'id':'sq','type':'test_square','parentId':'tc','data':{}}"), engine);
        Assert.Equal(ExecutionErrorKind.LimitExceeded, result.Error!.Kind);
        Assert.Contains("error executing node sq: maximum node executions exceeded: 3 (limit: 2)", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catches_a_failure_inside_a_nested_loop()
    {
        var result = await RunAsync("""
            {'nodes':[
              {'id':'in','type':'test_value','data':{'value':[1,'x']}},
              {'id':'tc','type':'try_catch','data':{'fallback_value':'none'}},
              {'id':'loop','type':'for_each','parentId':'tc','data':{}},
              {'id':'sq','type':'test_square','parentId':'loop','data':{}}],
             'edges':[{'source':'in','target':'tc'}]}
            """);
        Assert.Equal(
            """{"error_caught":true,"error_message":"error executing node loop: item 1: error executing node sq: cannot square string","value":"none"}""",
            ResultOf(result, "tc"));
    }
}
