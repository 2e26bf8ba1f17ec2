using System.Text;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Workflows;

public sealed class WorkflowReaderTests
{
    private static WorkflowException Rejected(string json, ExecutionLimits? limits = null) =>
        Assert.Throws<WorkflowException>(() => new WorkflowEngine(new EngineOptions { Limits = limits ?? ExecutionLimits.Default }).Parse(json));

    [Fact]
    public void Reads_every_top_level_node_and_edge_field()
    {
        var definition = WorkflowReader.Read("""
            {"workflow_id":"wf","name":"ignored","nodes":[{"id":"a","type":"number","data":{"value":1,"label":"A"},"position":{"x":1,"y":2}},
             {"id":"b","type":"renderer","data":{},"parentId":"a"}],
             "edges":[{"id":"e1","source":"a","target":"b","sourceHandle":"true","targetHandle":"in"},{"source":"a","target":"b","condition":"false"}]}
            """);
        Assert.Equal("wf", definition.WorkflowId);
        Assert.Equal(["a", "b"], definition.Nodes.Select(n => n.Id));
        Assert.Equal("number", definition.Nodes[0].Type);
        Assert.Equal(1, definition.Nodes[0].Data!["value"].AsNumber());
        Assert.Equal("a", definition.Nodes[1].ParentId);
        Assert.Equal(new EdgeDefinition("a", "b", "true", "in", "e1"), definition.Edges[0]);
        Assert.Equal("false", definition.Edges[1].SourceHandle);
    }

    [Fact]
    public void Missing_or_null_nodes_and_edges_are_an_empty_workflow()
    {
        Assert.Empty(WorkflowReader.Read("{}").Nodes);
        var d = WorkflowReader.Read("""{"nodes":null,"edges":null}""");
        Assert.Empty(d.Nodes);
        Assert.Empty(d.Edges);
    }

    [Fact]
    public void Source_handle_wins_over_the_legacy_condition_field()
    {
        var d = WorkflowReader.Read("""{"nodes":[],"edges":[{"source":"a","target":"b","sourceHandle":"x","condition":"y"}]}""");
        Assert.Equal("x", d.Edges[0].SourceHandle);
    }

    [Fact]
    public async Task Missing_data_keeps_the_declared_type_and_fails_only_when_run()
    {
        var engine = new WorkflowEngine();
        var workflow = engine.Parse("""{"nodes":[{"id":"n","type":"number"}]}""");
        var result = await engine.ExecuteAsync(workflow);
        Assert.Equal("error executing node n: expected NumberData, got <nil>", result.Error!.Message);
    }

    [Theory]
    [InlineData("""{"value":1,"text":"x"}""", "number")]
    [InlineData("""{"text":"x"}""", "text_input")]
    [InlineData("""{"boolean_value":true}""", "boolean_input")]
    [InlineData("""{"date_value":"2024-01-01"}""", "date_input")]
    [InlineData("""{"datetime_value":"x"}""", "datetime_input")]
    [InlineData("""{"mode":"text"}""", "visualization")]
    [InlineData("""{"op":"add"}""", "operation")]
    [InlineData("""{"text_op":"concat"}""", "text_operation")]
    [InlineData("""{"url":"http://x"}""", "http")]
    [InlineData("""{"condition":">1","true_path":"a"}""", "condition")]
    [InlineData("""{"condition":">1"}""", "filter")]
    [InlineData("""{"expression":"a","initial_value":0}""", "reduce")]
    [InlineData("""{"expression":"a"}""", "expression")]
    [InlineData("""{"expression":"","field":"f"}""", "extract")]
    [InlineData("""{"var_name":"v","var_op":"get"}""", "variable")]
    [InlineData("""{"fields":["a"]}""", "extract")]
    [InlineData("""{"transform_type":"keys"}""", "transform")]
    [InlineData("""{"accum_op":"sum"}""", "accumulator")]
    [InlineData("""{"counter_op":"increment"}""", "counter")]
    [InlineData("""{"cases":[]}""", "switch")]
    [InlineData("""{"join_strategy":"all"}""", "join")]
    [InlineData("""{"paths":["a"]}""", "split")]
    [InlineData("""{"duration":"1s"}""", "delay")]
    [InlineData("""{"cache_op":"get","cache_key":"k"}""", "cache")]
    [InlineData("""{"context_name":"x","value":1}""", "number")]
    [InlineData("""{"context_name":"x"}""", "context_variable")]
    [InlineData("""{"context_values":[]}""", "context_variable")]
    [InlineData("""{"max_attempts":3}""", "retry")]
    [InlineData("""{"backoff_strategy":"fixed"}""", "retry")]
    [InlineData("""{"fallback_value":1}""", "try_catch")]
    [InlineData("""{"continue_on_error":true}""", "try_catch")]
    [InlineData("""{"timeout":"1s","timeout_action":"error"}""", "timeout")]
    [InlineData("""{"timeout":"1s"}""", "")]
    [InlineData("""{"var_name":"v"}""", "")]
    [InlineData("""{}""", "")]
    public void Infers_the_type_from_data_keys_in_the_spec_order(string data, string expected)
    {
        var d = WorkflowReader.Read($$$"""{"nodes":[{"id":"n","data":{{{data}}}}]}""");
        Assert.Equal(expected, d.Nodes[0].Type);
    }

    [Fact]
    public void Explicit_type_is_never_overridden_by_inference()
    {
        var d = WorkflowReader.Read("""{"nodes":[{"id":"n","type":"renderer","data":{"value":1}}]}""");
        Assert.Equal("renderer", d.Nodes[0].Type);
    }

    [Fact]
    public void A_missing_required_field_rejects_the_payload_with_the_spec_text()
    {
        var ex = Rejected("""{"nodes":[{"id":"n1","type":"number","data":{"value":null}}]}""");
        Assert.Equal(WorkflowErrorKind.Decode, ex.Kind);
        Assert.Equal("failed to parse payload: failed to unmarshal data for node n1 (type number): missing required field: value", ex.Message);
        Assert.Equal("n1", ex.NodeId);
    }

    [Fact]
    public void A_field_of_the_wrong_json_type_gets_the_go_style_message()
    {
        var ex = Rejected("""{"nodes":[{"id":"n1","type":"number","data":{"value":"ten"}}]}""");
        Assert.Equal("failed to parse payload: failed to unmarshal data for node n1 (type number): json: cannot unmarshal string into Go struct field NumberData.value of type float64", ex.Message);
    }

    [Fact]
    public void An_integer_field_rejects_a_fraction()
    {
        var ex = Rejected("""{"nodes":[{"id":"t","type":"text_operation","data":{"text_op":"repeat","repeat_n":2.5}}]}""");
        Assert.Contains("json: cannot unmarshal number 2.5 into Go struct field TextOperationData.repeat_n of type int", ex.Message);
    }

    [Fact]
    public async Task An_empty_string_passes_the_required_check()
    {
        var engine = new WorkflowEngine();
        var result = await engine.ExecuteAsync(engine.Parse("""{"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"b","type":"number","data":{"value":2}},{"id":"op","type":"operation","data":{"op":""}}],"edges":[{"source":"a","target":"op"},{"source":"b","target":"op"}]}"""));
        Assert.Equal("error executing node op: unknown operation: ", result.Error!.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("""{"nodes":{}}""")]
    [InlineData("""{"nodes":[1]}""")]
    [InlineData("""{"nodes":[{"id":5}]}""")]
    [InlineData("""{"nodes":[{"id":"a","data":[1]}]}""")]
    [InlineData("""{"edges":[{"source":1}]}""")]
    [InlineData("""{"nodes":[]} trailing""")]
    [InlineData("""{"nodes":[],}""")]
    public void Malformed_payloads_get_a_clear_decode_error(string json)
    {
        var ex = Rejected(json);
        Assert.Equal(WorkflowErrorKind.Decode, ex.Kind);
        Assert.StartsWith("failed to parse payload: ", ex.Message);
    }

    [Fact]
    public void A_100000_deep_nested_value_is_rejected_without_overflowing_the_stack()
    {
        var json = """{"nodes":[{"id":"n","type":"renderer","data":{"mode":""" + new string('[', 100_000) + new string(']', 100_000) + "}}]}";
        var ex = Rejected(json);
        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_50_megabyte_string_is_rejected_by_the_payload_size_limit()
    {
        var json = new StringBuilder("""{"nodes":[{"id":"n","type":"text_input","data":{"text":" """).Append('x', 50 * 1024 * 1024).Append("\"}}]}").ToString();
        var ex = Rejected(json);
        Assert.Contains("payload too large", ex.Message);
        Assert.Contains("limit: 10485760", ex.Message);
    }

    [Fact]
    public void Invalid_utf8_is_a_decode_error()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"nodes":[{"id":"X","type":"text_input","data":{"text":"a"}}]}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        var ex = Assert.Throws<WorkflowException>(() => new WorkflowEngine().Parse(bytes));
        Assert.Equal(WorkflowErrorKind.Decode, ex.Kind);
    }
}
