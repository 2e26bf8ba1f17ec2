using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Tests.Support;

namespace Thaiyyal.Engine.Tests.Nodes.InputOutput;

public sealed class InputOutputNodeTests
{
    [Theory]
    [InlineData("""{"id":"n","type":"number","data":{"value":42}}""", "42")]
    [InlineData("""{"id":"n","type":"text_input","data":{"text":"Hello"}}""", "\"Hello\"")]
    [InlineData("""{"id":"n","type":"text_input","data":{"text":""}}""", "\"\"")]
    [InlineData("""{"id":"n","type":"boolean_input","data":{"boolean_value":true}}""", "true")]
    [InlineData("""{"id":"n","type":"date_input","data":{"date_value":"not a date"}}""", "\"not a date\"")]
    [InlineData("""{"id":"n","type":"datetime_input","data":{"datetime_value":"2024-01-15T10:30:00Z"}}""", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("""{"id":"n","type":"renderer","data":{}}""", "null")]
    public async Task Source_nodes_output_their_constant(string node, string expected)
    {
        var result = await TestEngines.RunAsync($$$"""{"nodes":[{{{node}}}]}""");
        Assert.Equal(expected, result.NodeResults["n"].ToString());
    }

    [Theory]
    [InlineData("number", "value")]
    [InlineData("text_input", "text")]
    [InlineData("boolean_input", "boolean_value")]
    [InlineData("date_input", "date_value")]
    [InlineData("datetime_input", "datetime_value")]
    public void Source_nodes_require_their_field(string type, string field)
    {
        var ex = Assert.Throws<WorkflowException>(() => TestEngines.Create().Parse($$$"""{"nodes":[{"id":"n","type":"{{{type}}}","data":{}}]}"""));
        Assert.EndsWith($"missing required field: {field}", ex.Message);
    }

    [Fact]
    public void A_boolean_field_refuses_a_string()
    {
        var ex = Assert.Throws<WorkflowException>(() => TestEngines.Create().Parse("""{"nodes":[{"id":"n","type":"boolean_input","data":{"boolean_value":"yes"}}]}"""));
        Assert.EndsWith("json: cannot unmarshal string into Go struct field BooleanInputData.boolean_value of type bool", ex.Message);
    }

    [Fact]
    public async Task Visualization_passes_its_first_input_and_needs_one()
    {
        var ok = await TestEngines.RunAsync("""{"nodes":[{"id":"a","type":"text_input","data":{"text":"x"}},{"id":"b","type":"number","data":{"value":2}},{"id":"v","type":"visualization","data":{"mode":"table"}}],"edges":[{"source":"a","target":"v"},{"source":"b","target":"v"}]}""");
        Assert.Equal("x", ok.NodeResults["v"].AsString());
        var failed = await TestEngines.RunAsync("""{"nodes":[{"id":"v","type":"visualization","data":{"mode":"text"}}]}""");
        Assert.Equal("error executing node v: visualization needs at least 1 input", failed.Error!.Message);
    }

    [Fact]
    public async Task Renderer_passes_its_first_input()
    {
        var result = await TestEngines.RunAsync("""{"nodes":[{"id":"a","type":"number","data":{"value":3}},{"id":"r","type":"renderer","data":{}}],"edges":[{"source":"a","target":"r"}]}""");
        Assert.Equal(3, result.NodeResults["r"].AsNumber());
    }
}
