namespace Thaiyyal.Engine.Tests.Nodes.StateMemory;

public sealed class ContextNodeTests
{
    private readonly NodeHarness _harness = new();

    [Theory]
    [InlineData("string", "42", "\"42\"")]
    [InlineData("string", "null", "\"<nil>\"")]
    [InlineData("string", "1000000", "\"1e+06\"")]
    [InlineData("number", "\"50\"", "50")]
    [InlineData("number", "\"2.5e3\"", "2500")]
    [InlineData("number", "7", "7")]
    [InlineData("boolean", "\"TRUE\"", "true")]
    [InlineData("boolean", "\"f\"", "false")]
    [InlineData("boolean", "0", "false")]
    [InlineData("boolean", "-2", "true")]
    [InlineData("boolean", "true", "true")]
    [InlineData("time_string", "\"2024-01-15T10:30:00Z\"", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("time_string", "\"2024-01-15T10:30:00.5+01:00\"", "\"2024-01-15T10:30:00.5+01:00\"")]
    [InlineData("epoch_second", "1705314600", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("epoch_second", "\"1705314600\"", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("epoch_second", "1705314600.9", "\"2024-01-15T10:30:00Z\"")]
    [InlineData("epoch_ms", "1705314600250", "\"2024-01-15T10:30:00.25Z\"")]
    [InlineData("null", "\"anything\"", "null")]
    public async Task Converts_each_value_to_its_type(string type, string value, string expected)
    {
        var result = await _harness.ResultAsync("context_variable", $$"""{"context_values":[{"name":"x","value":{{value}},"type":"{{type}}"}]}""");
        JsonAssert.Equal($$$"""{"type":"variable","variables":{"x":{{{expected}}}}}""", result);
    }

    [Theory]
    [InlineData("number", "\"abc\"", "cannot convert \"abc\" to number: strconv.ParseFloat: parsing \"abc\": invalid syntax")]
    [InlineData("number", "true", "cannot convert type bool to number")]
    [InlineData("boolean", "\"yes\"", "cannot convert \"yes\" to boolean: strconv.ParseBool: parsing \"yes\": invalid syntax")]
    [InlineData("boolean", "[1]", "cannot convert type []interface {} to boolean")]
    [InlineData("time_string", "\"2024-01-15\"", "invalid time string \"2024-01-15\": parsing time \"2024-01-15\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\"")]
    [InlineData("time_string", "\"2024-13-01T00:00:00Z\"", "invalid time string \"2024-13-01T00:00:00Z\": parsing time \"2024-13-01T00:00:00Z\": month out of range")]
    [InlineData("time_string", "\"2024-01-15T10:30:00\"", "invalid time string \"2024-01-15T10:30:00\": parsing time \"2024-01-15T10:30:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"Z07:00\"")]
    [InlineData("epoch_second", "\"12.5\"", "cannot convert \"12.5\" to epoch seconds: strconv.ParseInt: parsing \"12.5\": invalid syntax")]
    [InlineData("epoch_ms", "\"x\"", "cannot convert \"x\" to epoch milliseconds: strconv.ParseInt: parsing \"x\": invalid syntax")]
    [InlineData("epoch_ms", "{}", "cannot convert type map[string]interface {} to epoch milliseconds")]
    [InlineData("date", "1", "unsupported type \"date\"")]
    [InlineData("", "1", "unsupported type \"\"")]
    public async Task Conversion_errors_fail_the_node(string type, string value, string reason)
    {
        var message = await _harness.FailureAsync("context_constant", $$"""{"context_values":[{"name":"x","value":{{value}},"type":"{{type}}"}]}""");
        Assert.Equal($"context_constant node: error converting x ({type}): {reason}", message);
    }

    [Fact]
    public async Task Constants_use_their_own_result_shape()
    {
        JsonAssert.Equal("""{"type":"const","constants":{"limit":10,"mode":"strict"}}""",
            await _harness.ResultAsync("context_constant", """{"context_values":[{"name":"limit","value":10,"type":"number"},{"name":"mode","value":"strict","type":"string"}]}"""));
    }

    [Fact]
    public async Task The_legacy_form_stores_the_value_unconverted()
    {
        JsonAssert.Equal("""{"type":"variable","name":"n","value":"50"}""",
            await _harness.ResultAsync("context_variable", """{"context_name":"n","context_value":"50"}"""));
        JsonAssert.Equal("""{"type":"const","name":"n","value":[1]}""",
            await _harness.ResultAsync("context_constant", """{"context_name":"n","context_value":[1]}"""));
    }

    [Fact]
    public async Task The_legacy_form_needs_a_value()
    {
        Assert.Equal("context_variable node missing context_value", await _harness.FailureAsync("context_variable", """{"context_name":"n"}"""));
        Assert.Equal("context_constant node missing context_value", await _harness.FailureAsync("context_constant", """{"context_name":"n","context_value":null}"""));
    }

    [Theory]
    [InlineData("{}", "missing required field: context_values or context_name")]
    [InlineData("""{"context_values":[]}""", "missing required field: context_values or context_name")]
    [InlineData("""{"context_values":["x"]}""", "json: cannot unmarshal string into Go struct field ContextVariableData.context_values of type types.ContextValue")]
    [InlineData("""{"context_values":[{"name":1}]}""", "json: cannot unmarshal number into Go struct field ContextVariableData.context_values.name of type string")]
    public void Needs_values_or_a_legacy_name(string data, string message)
    {
        Assert.Equal(message, _harness.Rejection("context_variable", data));
    }

    [Fact]
    public async Task Values_land_in_the_run_state_with_variables_shadowing_constants()
    {
        var result = await _harness.RunAsync("""
            {"nodes":[
              {"id":"c","type":"context_constant","data":{"context_values":[{"name":"limit","value":10,"type":"number"},{"name":"mode","value":"strict","type":"string"}]}},
              {"id":"v","type":"context_variable","data":{"context_values":[{"name":"limit","value":"25","type":"number"}]}},
              {"id":"probe","type":"test_state","data":{}}],
             "edges":[{"source":"c","target":"probe"},{"source":"v","target":"probe"}]}
            """);
        Assert.True(result.Success, result.Error?.Message);
        JsonAssert.Equal("""{"limit":25,"mode":"strict"}""", JsonAssert.Field(result.NodeResults["probe"], "context"));
    }
}
