using Thaiyyal.Engine.Nodes.ArrayOperations;
using static Thaiyyal.Engine.Tests.Nodes.ExpressionNodeRunner;

namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class PartitionNodeTests
{
    [Fact]
    public void Splits_by_the_condition() =>
        Assert.Equal("""{"condition":"variables.item > 2","failed":[1,2],"failed_count":2,"input_count":4,"passed":[3,4],"passed_count":2}""",
            ResultJson("partition", """{"condition":"variables.item > 2"}""", """{"range":[1,2,3,4]}"""));

    [Fact]
    public void Empty_sides_are_null() =>
        Assert.Equal("""{"condition":"item > 0","failed":null,"failed_count":0,"input_count":2,"passed":[1,2],"passed_count":2}""",
            ResultJson("partition", """{"condition":"item > 0"}""", "[1,2]"));

    [Fact]
    public void Binds_index_and_items() =>
        Assert.Contains("\"passed\":[\"c\"]", ResultJson("partition", """{"condition":"index == items.length - 1"}""", """["a","b","c"]"""), StringComparison.Ordinal);

    [Fact]
    public void A_non_array_gives_an_error_object() =>
        Assert.Equal("""{"error":"input is not an array","input":"x","original_type":"string"}""", ResultJson("partition", """{"condition":"item"}""", "\"x\""));

    [Fact]
    public void Errors()
    {
        Assert.Equal("error executing node n: partition node needs at least 1 input", ErrorMessage("partition", """{"condition":"item"}"""));
        Assert.Equal("error executing node n: partition node missing required 'condition' string", ErrorMessage("partition", """{"condition":""}""", "[1]"));
        Assert.StartsWith("error executing node n: partition condition evaluation failed at index 0: unknown function: foo",
            ErrorMessage("partition", """{"condition":"foo(item)"}""", "[1]"), StringComparison.Ordinal);
    }

    [Fact]
    public void Its_true_and_false_outputs_never_activate_as_in_the_original()
    {
        Assert.Equal(["true", "false"], new PartitionNode().Descriptor.Outputs.Select(o => o.Id));
        var result = Run("""
            {"nodes":[{"id":"nums","type":"test_value","data":{"value":[1,7]}},
                      {"id":"split","type":"partition","data":{"condition":"item > 4"}},
                      {"id":"high","type":"expression","data":{"expression":"input"}}],
             "edges":[{"source":"nums","target":"split"},{"source":"split","target":"high","sourceHandle":"true"}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        Assert.False(result.NodeResults.ContainsKey("high"));
    }
}
