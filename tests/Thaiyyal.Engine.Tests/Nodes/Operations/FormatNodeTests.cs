using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Nodes.Operations;

public sealed class FormatNodeTests
{
    private readonly NodeHarness _harness = new();

    private async Task<string> Format(string data, string input) => (await _harness.ResultAsync("format", data, input)).AsString();

    [Fact]
    public async Task Json_sorts_keys_and_prints_go_numbers()
    {
        Assert.Equal("""{"age":30,"big":1e+21,"name":"John","small":1e-7,"x":0.1}""",
            await Format("""{"output_type":"json"}""", """{"name":"John","age":30,"x":0.1,"big":1e21,"small":0.0000001}"""));
    }

    [Fact]
    public async Task Json_escapes_strings_as_go_does()
    {
        var text = "<a href=\"x\">&</a>\u2028\u2029\n\t\b\f\u0001 é 😀 \\";
        var formatted = await Format("""{"output_type":"JSON"}""", ValueJson.Serialize(text));
        Assert.Equal("\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\\u2028\\u2029\\n\\t\\b\\f\\u0001 é 😀 \\\\\"", formatted);
    }

    [Fact]
    public async Task Pretty_json_indents_by_two_spaces_without_a_trailing_newline()
    {
        var formatted = await Format("""{"output_type":"json","pretty_print":true}""", """{"b":[1,{"c":null}],"a":{},"d":[]}""");
        Assert.Equal("{\n  \"a\": {},\n  \"b\": [\n    1,\n    {\n      \"c\": null\n    }\n  ],\n  \"d\": []\n}", formatted);
    }

    [Theory]
    [InlineData("null", "null")]
    [InlineData("\"s\"", "\"s\"")]
    [InlineData("[]", "[]")]
    [InlineData("true", "true")]
    public async Task Json_formats_any_value(string input, string expected)
    {
        Assert.Equal(expected, await Format("""{"output_type":"json","pretty_print":true}""", input));
    }

    [Fact]
    public async Task Csv_uses_the_sorted_union_of_keys_and_go_cell_texts()
    {
        var formatted = await Format("""{"output_type":"CSV"}""",
            """[{"name":"Ann","qty":2,"price":10.5},{"name":"Bo, Jr","qty":1000000,"tags":["<a>",1]},{"name":" lead","ok":true,"tiny":0.00001,"n":null}]""");
        Assert.Equal("n,name,ok,price,qty,tags,tiny\n,Ann,,10.5,2,,\n,\"Bo, Jr\",,,1000000,\"[\"\"\\u003ca\\u003e\"\",1]\",\n,\" lead\",true,,,,1e-05\n", formatted);
    }

    [Fact]
    public async Task Csv_quotes_fields_as_go_does()
    {
        var formatted = await Format("""{"output_type":"csv","include_headers":false}""", """{"a":"say \"hi\"","b":"line\nbreak","c":"\\.","d":"","e":"\tx"}""");
        Assert.Equal("\"say \"\"hi\"\"\",\"line\nbreak\",\"\\.\",,\"\tx\"\n", formatted);
    }

    [Fact]
    public async Task Csv_takes_the_delimiters_first_byte()
    {
        Assert.Equal("a|b\n1|2\n3|4\n", await Format("""{"output_type":"CSV","delimiter":"|;"}""", """[{"a":1,"b":2},{"a":3,"b":4}]"""));
    }

    [Fact]
    public async Task Tsv_uses_tabs_and_ignores_the_delimiter()
    {
        Assert.Equal("a\tb\n1\tx,y\n", await Format("""{"output_type":"tsv","delimiter":";"}""", """{"a":1,"b":"x,y"}"""));
    }

    [Fact]
    public async Task An_empty_array_formats_as_empty_text()
    {
        Assert.Equal("", await Format("""{"output_type":"CSV"}""", "[]"));
    }

    [Theory]
    [InlineData("CSV", "[{\"a\":1},2]", "CSV formatting requires array of objects, got array element of type float64")]
    [InlineData("TSV", "\"text\"", "CSV formatting requires array of objects or single object, got string")]
    [InlineData("xml", "{}", "unsupported output type: XML (supported: JSON, CSV, TSV)")]
    public async Task Wrong_shapes_and_types_fail(string type, string input, string message)
    {
        Assert.Equal(message, await _harness.FailureAsync("format", $$"""{"output_type":"{{type}}"}""", input));
    }

    [Fact]
    public async Task A_quote_delimiter_is_refused()
    {
        Assert.Equal("failed to format as CSV: csv: invalid field or comment delimiter",
            await _harness.FailureAsync("format", """{"output_type":"CSV","delimiter":"\""}""", """{"a":1}"""));
    }

    [Fact]
    public async Task No_input_fails()
    {
        Assert.Equal("format node requires input", await _harness.FailureAsync("format", """{"output_type":"JSON"}"""));
    }

    [Fact]
    public void Output_type_is_required()
    {
        Assert.Equal("missing required field: output_type", _harness.Rejection("format", """{"pretty_print":true}"""));
    }
}
