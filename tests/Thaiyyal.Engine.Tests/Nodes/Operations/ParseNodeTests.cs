using System.Text;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Nodes.Operations;

public sealed class ParseNodeTests
{
    private readonly NodeHarness _harness = new();

    private Task<Value> Parse(string type, string text) =>
        _harness.ResultAsync("parse", type.Length == 0 ? "{}" : $$"""{"input_type":"{{type}}"}""", ValueJson.Serialize(text));

    private Task<string> ParseFailure(string type, string text) =>
        _harness.FailureAsync("parse", $$"""{"input_type":"{{type}}"}""", ValueJson.Serialize(text));

    [Theory]
    [InlineData("[1, 2.5, {\"a\": null}]", """[1,2.5,{"a":null}]""")]
    [InlineData("  {\"name\": \"Alice\", \"age\": 30} ", """{"name":"Alice","age":30}""")]
    [InlineData("true", "true")]
    [InlineData("null", "null")]
    [InlineData("42.5", "42.5")]
    [InlineData("-1e3", "-1000")]
    [InlineData("\"quoted\"", "\"quoted\"")]
    [InlineData("<name>John</name>", """{"name":"John"}""")]
    [InlineData("name: Bob\nage: 42\nactive: true", """{"name":"Bob","age":42,"active":true}""")]
    [InlineData("product\tprice\niPhone\t999.99", """[{"product":"iPhone","price":999.99}]""")]
    [InlineData("name,age,city\nJohn,25,NYC\nJane,30,LA", """[{"name":"John","age":25,"city":"NYC"},{"name":"Jane","age":30,"city":"LA"}]""")]
    public async Task Auto_detects_the_format(string text, string expected)
    {
        JsonAssert.Equal(expected, await Parse("", text));
        JsonAssert.Equal(expected, await Parse("auto", text));
    }

    [Theory]
    [InlineData("", "invalid JSON: EOF")]
    [InlineData("hello world", "invalid JSON")]
    [InlineData("[1, 2", "invalid JSON")]
    [InlineData("a: b", "invalid JSON")]
    public async Task Auto_falls_back_to_json_which_can_fail(string text, string messageStart)
    {
        Assert.StartsWith(messageStart, await _harness.FailureAsync("parse", "{}", ValueJson.Serialize(text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_reads_the_first_value_and_ignores_trailing_text()
    {
        JsonAssert.Equal("""{"a":1}""", await Parse("JSON", """{"a":1} trailing"""));
        JsonAssert.Equal("[1]", await Parse("json", "[1]]"));
    }

    [Theory]
    [InlineData("{\"a\": 1", "invalid JSON: unexpected EOF")]
    [InlineData("NaN", "invalid JSON: NaN is not a finite number")]
    [InlineData("-Inf", "invalid JSON: -Inf is not a finite number")]
    public async Task Json_errors_are_named(string text, string message)
    {
        Assert.Equal(message, await ParseFailure("JSON", text));
    }

    [Fact]
    public async Task Json_deeper_than_the_depth_limit_fails_cleanly()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxJsonDepth = 10 });
        var deep = new string('[', 50) + new string(']', 50);
        var message = await harness.FailureAsync("parse", """{"input_type":"JSON"}""", ValueJson.Serialize(deep));
        Assert.StartsWith("invalid JSON:", message, StringComparison.Ordinal);
        Assert.Contains("depth", message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("true", "true")]
    [InlineData("null", "\"\"")]
    public async Task Non_text_inputs_are_parsed_from_their_text(string input, string expectedOrError)
    {
        var result = await _harness.RunNodeAsync("parse", """{"input_type":"JSON"}""", input);
        if (input == "null")
        {
            Assert.Equal("invalid JSON: EOF", result.Error!.Cause);
            return;
        }
        JsonAssert.Equal(expectedOrError, result.NodeResults["n"]);
    }

    [Fact]
    public async Task Containers_are_parsed_from_their_json_text()
    {
        JsonAssert.Equal("""{"a":[1,"<b>"]}""", await _harness.ResultAsync("parse", "{}", """{"a":[1,"<b>"]}"""));
    }

    [Fact]
    public async Task Csv_types_cells_and_trims_leading_space()
    {
        var result = await Parse("CSV", "name,age,active,note,empty\nAda, 36,true,  hi there ,\nBob,4e1,false,null,\"\"");
        JsonAssert.Equal("""[{"name":"Ada","age":36,"active":true,"note":"hi there","empty":""},{"name":"Bob","age":40,"active":false,"note":null,"empty":""}]""", result);
    }

    [Fact]
    public async Task Csv_honours_quotes_and_skips_blank_lines()
    {
        var result = await Parse("CSV", "a,b\n\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",2\n");
        JsonAssert.Equal("""[{"a":"x, y","b":"say \"hi\""},{"a":"multi\nline","b":2}]""", result);
    }

    [Fact]
    public async Task Csv_output_is_an_array_that_names_its_go_type()
    {
        var message = await _harness.FailureAsync("extract", """{"field":"a"}""", "[]");
        Assert.Contains("[]interface {}", message, StringComparison.Ordinal);
        var result = await _harness.RunAsync("""
            {"nodes":[{"id":"t","type":"test_value","data":{"value":"a\n1"}},
                      {"id":"p","type":"parse","data":{"input_type":"CSV"}},
                      {"id":"k","type":"transform","data":{"transform_type":"keys"}}],
             "edges":[{"source":"t","target":"p"},{"source":"p","target":"k"}]}
            """);
        Assert.Equal("keys transform requires object input, got []map[string]interface {}", result.Error!.Cause);
    }

    [Theory]
    [InlineData("a,b", "[]")]
    [InlineData("", "[]")]
    public async Task Csv_without_data_rows_is_empty(string text, string expected)
    {
        JsonAssert.Equal(expected, await Parse("CSV", text));
    }

    [Theory]
    [InlineData("a,b\n1,2\n3", "invalid CSV/TSV: record on line 3: wrong number of fields")]
    [InlineData("a,b\n1,2,3", "invalid CSV/TSV: record on line 2: wrong number of fields")]
    [InlineData("a,b\nx\"y,2", "invalid CSV/TSV: parse error on line 2, column 2: bare \" in non-quoted-field")]
    [InlineData("a,b\n\"x\"y,2", "invalid CSV/TSV: parse error on line 2, column 4: extraneous or missing \" in quoted-field")]
    public async Task Csv_errors_name_the_line(string text, string message)
    {
        Assert.Equal(message, await ParseFailure("CSV", text));
    }

    [Fact]
    public async Task Tsv_uses_tabs()
    {
        JsonAssert.Equal("""[{"a,b":"1,2","c":3}]""", await Parse("TSV", "a,b\tc\n1,2\t3"));
    }

    [Fact]
    public async Task Csv_rows_beyond_the_array_limit_fail_cleanly()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxArrayLength = 3 });
        var text = "h\n" + string.Join("\n", Enumerable.Range(0, 10));
        var message = await harness.FailureAsync("parse", """{"input_type":"CSV"}""", ValueJson.Serialize(text));
        Assert.Equal("parse would produce 4 elements (limit: 3)", message);
    }

    [Fact]
    public async Task Yaml_reads_nesting_lists_quotes_and_anchors()
    {
        var text = "name: \"Bob\"\nage: 42\n# comment\nteam:\n  lead: Ann\n  tags: [a, 1]\nempty:\nbase: &b {x: 1}\ncopy: *b";
        JsonAssert.Equal("""{"name":"Bob","age":42,"team":{"lead":"Ann","tags":["a",1]},"empty":"","base":{"x":1},"copy":{"x":1}}""", await Parse("YAML", text));
    }

    [Fact]
    public async Task Yaml_that_is_not_a_yaml_document_is_read_line_by_line_as_the_original_did()
    {
        JsonAssert.Equal("""{"a":"b: c","url":"http://x/y","n":5}""", await Parse("YAML", "a: b: c\nurl: http://x/y\n  n: 5\nno colon here"));
        JsonAssert.Equal("""{"a":"b"}""", await Parse("YAML", "a:b"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\nplain text")]
    [InlineData("{}")]
    public async Task Yaml_without_pairs_fails(string text)
    {
        Assert.Equal("no valid YAML key-value pairs found", await ParseFailure("YAML", text));
    }

    [Fact]
    public async Task Yaml_alias_bombs_fail_cleanly()
    {
        var sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 12; i++)
        {
            sb.Append($"a{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
        }
        Assert.Equal("YAML document too large: more than 1000000 values", await ParseFailure("YAML", sb.ToString()));
    }

    [Fact]
    public async Task Yaml_nesting_beyond_the_depth_limit_fails_cleanly()
    {
        var harness = new NodeHarness(ExecutionLimits.Default with { MaxJsonDepth = 20 });
        var deep = "a: " + new string('[', 100) + new string(']', 100);
        var message = await harness.FailureAsync("parse", """{"input_type":"YAML"}""", ValueJson.Serialize(deep));
        Assert.Equal("YAML nested too deeply: more than 20 levels", message);
    }

    [Theory]
    [InlineData("<price>9.5</price>", """{"price":9.5}""")]
    [InlineData("<?xml version=\"1.0\"?>\n<a>\n  true\n</a>", """{"a":true}""")]
    [InlineData("<a>x<b>ignored</b>y</a>", """{"a":"xy"}""")]
    [InlineData("<a/>", """{"a":""}""")]
    [InlineData("<a>1</a>junk", """{"a":1}""")]
    [InlineData("<a><![CDATA[<raw>]]></a>", """{"a":"<raw>"}""")]
    [InlineData("<a>&lt;&amp;</a>", """{"a":"<&"}""")]
    public async Task Xml_gives_the_root_name_and_its_own_text(string text, string expected)
    {
        JsonAssert.Equal(expected, await Parse("XML", text));
    }

    [Theory]
    [InlineData("hello", "invalid XML: EOF")]
    [InlineData("   ", "invalid XML: EOF")]
    [InlineData("<a", "invalid XML: XML syntax error on line 1: unexpected EOF")]
    [InlineData("<a><b></a>", "invalid XML: unknown type map[string]interface {}")]
    [InlineData("<a>1</b>", "invalid XML: unknown type map[string]interface {}")]
    [InlineData("<a>&undefined;</a>", "invalid XML: unknown type map[string]interface {}")]
    public async Task Malformed_xml_fails_with_the_originals_reasons(string text, string message)
    {
        Assert.Equal(message, await ParseFailure("XML", text));
    }

    [Fact]
    public async Task Xml_entities_from_a_dtd_are_never_expanded()
    {
        var text = "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\"><!ENTITY b \"boom\">]><a>&e;&b;</a>";
        var result = await _harness.RunNodeAsync("parse", """{"input_type":"XML"}""", ValueJson.Serialize(text));
        Assert.False(result.Success);
        Assert.StartsWith("invalid XML:", result.Error!.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_type_fails_upper_cased()
    {
        Assert.Equal("unsupported input type: TOML (supported: AUTO, JSON, CSV, TSV, YAML, XML)", await ParseFailure("toml", "a = 1"));
    }

    [Fact]
    public async Task No_input_fails()
    {
        Assert.Equal("parse node requires input", await _harness.FailureAsync("parse", "{}"));
    }

    [Fact]
    public async Task Unknown_data_keys_are_ignored_so_parser_means_auto()
    {
        JsonAssert.Equal("""{"a":1}""", await _harness.ResultAsync("parse", """{"parser":"csv"}""", ValueJson.Serialize("""{"a":1}""")));
    }
}
