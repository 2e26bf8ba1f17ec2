using Thaiyyal.Engine.Nodes.ControlFlow;
using static Thaiyyal.Engine.Tests.Nodes.ExpressionNodeRunner;

namespace Thaiyyal.Engine.Tests.Nodes.ControlFlow;

public sealed class SwitchNodeTests
{
    private const string Grades = """
        {"cases":[{"when":"input >= 90","output_path":"A"},{"when":"input >= 80","output_path":"B"},
                  {"when":"input >= 70","output_path":"C"},{"when":"default","output_path":"F","is_default":true}]}
        """;

    [Fact]
    public void First_true_case_wins() =>
        Assert.Equal("""{"case":"input >= 80","case_index":1,"matched":true,"output_path":"B","value":85}""", ResultJson("switch", Grades, "85"));

    [Fact]
    public void Falls_back_to_the_default_case() =>
        Assert.Equal("""{"case":"default","case_index":3,"matched":false,"output_path":"F","value":30}""", ResultJson("switch", Grades, "30"));

    [Fact]
    public void Default_without_output_path_is_named_default() =>
        Assert.Contains("\"output_path\":\"default\"",
            ResultJson("switch", """{"cases":[{"when":"input == 1","output_path":"one"},{"is_default":true}]}""", "2"), StringComparison.Ordinal);

    [Fact]
    public void Routes_to_the_matching_handle()
    {
        var result = Run("""
            {"nodes":[
              {"id":"status","type":"test_value","data":{"value":404}},
              {"id":"router","type":"switch","data":{"cases":[{"when":"input == 200","output_path":"success"},
                 {"when":"input == 404","output_path":"not_found"},{"when":"default","output_path":"other","is_default":true}]}},
              {"id":"ok","type":"expression","data":{"expression":"1"}},
              {"id":"missing","type":"expression","data":{"expression":"2"}},
              {"id":"other","type":"expression","data":{"expression":"3"}}],
             "edges":[{"source":"status","target":"router"},
                      {"source":"router","target":"ok","sourceHandle":"success"},
                      {"source":"router","target":"missing","sourceHandle":"not_found"},
                      {"source":"router","target":"other","sourceHandle":"other"}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        Assert.True(result.NodeResults.ContainsKey("missing"));
        Assert.False(result.NodeResults.ContainsKey("ok"));
        Assert.False(result.NodeResults.ContainsKey("other"));
    }

    [Theory]
    [InlineData("""{}""", "missing required field: cases")]
    [InlineData("""{"cases":[]}""", "missing required field: cases")]
    [InlineData("""{"cases":[{"is_default":true,"output_path":"d"},{"when":"input > 1","output_path":"x"}]}""",
        "default case must be the last case in the array (found at index 0, but last index is 1)")]
    [InlineData("""{"cases":[{"when":"input > 1"},{"is_default":true}]}""",
        "case at index 0 must have output_path (non-default cases require output_path)")]
    [InlineData("""{"cases":[{"when":"input > 1","output_path":""},{"is_default":true}]}""",
        "case at index 0 must have output_path (non-default cases require output_path)")]
    [InlineData("""{"cases":[{"when":"input > 1","output_path":"x"}]}""", "switch node must have exactly one default case (found 0)")]
    [InlineData("""{"cases":[{"when":5,"output_path":"x"},{"is_default":true}]}""",
        "json: cannot unmarshal number into Go struct field SwitchData.cases.when of type string")]
    [InlineData("""{"cases":[{"when":"a","output_path":"x","is_default":"yes"}]}""",
        "json: cannot unmarshal string into Go struct field SwitchData.cases.is_default of type bool")]
    [InlineData("""{"cases":["x"]}""", "json: cannot unmarshal string into Go struct field SwitchData.cases of type workflow.SwitchCase")]
    public void Cases_are_validated_at_decode(string data, string reason) =>
        Assert.EndsWith(reason, ErrorMessage("switch", data, "1"), StringComparison.Ordinal);

    [Fact]
    public void A_case_that_cannot_be_evaluated_fails_the_node() =>
        Assert.Equal("error executing node n: switch case 0 evaluation failed: unknown function: foo (in expression \"foo(1)\" at column 1)",
            ErrorMessage("switch", """{"cases":[{"when":"foo(1)","output_path":"x"},{"is_default":true}]}""", "1"));

    [Fact]
    public void Needs_an_input() =>
        Assert.Equal("error executing node n: switch node requires at least one input", ErrorMessage("switch", Grades));

    [Fact]
    public void Outputs_come_from_the_cases() => Assert.True(new SwitchNode().Descriptor.DynamicOutputs);

    [Theory]
    [InlineData("input > 1", true)]
    [InlineData("variables.x > 1", false)]
    public void Is_independent_unless_a_case_reads_shared_state(string when, bool expected) =>
        Assert.Equal(expected, IsIndependent("switch", $$"""{"cases":[{"when":"{{when}}","output_path":"x"},{"is_default":true}]}"""));
}
