using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Tests.Support;

namespace Thaiyyal.Engine.Tests.Nodes.Operations;

public sealed class OperationNodeTests
{
    private static Task<ExecutionResult> Run(string op, string left = "10", string right = "4", int inputs = 2)
    {
        var nodes = $$$"""[{"id":"l","type":"number","data":{"value":{{{left}}}}},{"id":"r","type":"number","data":{"value":{{{right}}}}},{"id":"op","type":"operation","data":{"op":"{{{op}}}"}}]""";
        var edges = inputs switch { 0 => "[]", 1 => """[{"source":"l","target":"op"}]""", _ => """[{"source":"l","target":"op"},{"source":"r","target":"op"}]""" };
        return TestEngines.RunAsync($$$"""{"nodes":{{{nodes}}},"edges":{{{edges}}}}""");
    }

    [Theory]
    [InlineData("add", 14)]
    [InlineData("subtract", 6)]
    [InlineData("multiply", 40)]
    [InlineData("divide", 2.5)]
    public async Task Computes_left_op_right(string op, double expected) => Assert.Equal(expected, (await Run(op)).NodeResults["op"].AsNumber());

    [Theory]
    [InlineData("divide", "10", "0", 2, "division by zero")]
    [InlineData("modulo", "10", "3", 2, "unknown operation: modulo")]
    [InlineData("add", "10", "3", 1, "operation needs 2 inputs, got 1")]
    [InlineData("add", "10", "3", 0, "operation needs 2 inputs, got 0")]
    [InlineData("multiply", "1e308", "10", 2, "operation result is not a finite number: +Inf")]
    public async Task Fails_with_the_spec_messages(string op, string left, string right, int inputs, string message)
    {
        var result = await Run(op, left, right, inputs);
        Assert.Equal($"error executing node op: {message}", result.Error!.Message);
    }

    [Fact]
    public async Task Refuses_non_numbers()
    {
        var result = await TestEngines.RunAsync("""{"nodes":[{"id":"t","type":"text_input","data":{"text":"5"}},{"id":"n","type":"number","data":{"value":1}},{"id":"op","type":"operation","data":{"op":"add"}}],"edges":[{"source":"t","target":"op"},{"source":"n","target":"op"}]}""");
        Assert.Equal("error executing node op: operation inputs must be numbers", result.Error!.Message);
    }
}

public sealed class TextOperationNodeTests
{
    private static async Task<ExecutionResult> Run(string data, params string[] texts)
    {
        var inputs = texts.Select((t, i) => $$$"""{"id":"t{{{i}}}","type":"text_input","data":{"text":{{{System.Text.Json.JsonSerializer.Serialize(t)}}}}}""");
        var edges = texts.Select((_, i) => $$$"""{"source":"t{{{i}}}","target":"op"}""");
        return await TestEngines.RunAsync($$$"""{"nodes":[{{{string.Join(",", inputs.Append($$$"""{"id":"op","type":"text_operation","data":{{{data}}}}"""))}}}],"edges":[{{{string.Join(",", edges)}}}]}""");
    }

    [Theory]
    [InlineData("uppercase", "hello world", "HELLO WORLD")]
    [InlineData("uppercase", "straße", "STRAßE")]
    [InlineData("lowercase", "HeLLo", "hello")]
    [InlineData("titlecase", "hello-world foo", "Hello-World Foo")]
    [InlineData("titlecase", "don't stop", "Don't Stop")]
    [InlineData("titlecase", "hello 2nd WORLD", "Hello 2Nd World")]
    [InlineData("camelcase", "hello world", "helloWorld")]
    [InlineData("camelcase", "Hello  WIDE   world", "helloWideWorld")]
    [InlineData("camelcase", "   ", "   ")]
    [InlineData("camelcase", "über ärger öl", "überÄrgerÖl")]
    [InlineData("inversecase", "Hello", "hELLO")]
    public async Task Case_operations(string op, string input, string expected)
    {
        var result = await Run($$$"""{"text_op":"{{{op}}}"}""", input);
        Assert.Equal(expected, result.NodeResults["op"].AsString());
    }

    [Fact]
    public async Task Concat_joins_every_input_with_the_separator()
    {
        var result = await Run("""{"text_op":"concat","separator":"-"}""", "a", "b", "c");
        Assert.Equal("a-b-c", result.NodeResults["op"].AsString());
    }

    [Fact]
    public async Task Repeat_repeats_the_first_input()
    {
        Assert.Equal("ababab", (await Run("""{"text_op":"repeat","repeat_n":3}""", "ab")).NodeResults["op"].AsString());
        Assert.Equal("", (await Run("""{"text_op":"repeat","repeat_n":0}""", "ab")).NodeResults["op"].AsString());
    }

    [Theory]
    [InlineData("""{"text_op":"repeat"}""", "repeat operation requires repeat_n field")]
    [InlineData("""{"text_op":"repeat","repeat_n":-2}""", "repeat_n must be non-negative, got -2")]
    [InlineData("""{"text_op":"repeat","repeat_n":2000000000}""", "string too long: 4000000000 characters (limit: 1048576)")]
    [InlineData("""{"text_op":"shout"}""", "unknown text operation: shout")]
    public async Task Fails_with_the_spec_messages(string data, string message)
    {
        var result = await Run(data, "ab");
        Assert.Equal($"error executing node op: {message}", result.Error!.Message);
    }

    [Fact]
    public async Task Non_text_inputs_are_refused_before_the_operation_name_is_checked()
    {
        var result = await TestEngines.RunAsync("""{"nodes":[{"id":"n","type":"number","data":{"value":1}},{"id":"op","type":"text_operation","data":{"text_op":"shout"}}],"edges":[{"source":"n","target":"op"}]}""");
        Assert.Equal("error executing node op: text operation input must be text/string", result.Error!.Message);
        var concat = await TestEngines.RunAsync("""{"nodes":[{"id":"a","type":"text_input","data":{"text":"x"}},{"id":"n","type":"number","data":{"value":1}},{"id":"op","type":"text_operation","data":{"text_op":"concat"}}],"edges":[{"source":"a","target":"op"},{"source":"n","target":"op"}]}""");
        Assert.Equal("error executing node op: concat operation input 1 must be text/string", concat.Error!.Message);
        var none = await TestEngines.RunAsync("""{"nodes":[{"id":"op","type":"text_operation","data":{"text_op":"uppercase"}}]}""");
        Assert.Equal("error executing node op: text operation needs at least 1 input", none.Error!.Message);
    }
}
