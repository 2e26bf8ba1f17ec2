using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Tests.Support;

namespace Thaiyyal.Engine.Tests.Security;

/// <summary>Issue 10, item 7: numbers a double cannot hold are refused, naming where they were, not read as null.</summary>
public sealed class NumberRangeTests
{
    [Theory]
    [InlineData("1e999", "1e999")]
    [InlineData("-1e400", "-1e400")]
    public void A_payload_number_out_of_range_is_a_decode_error_naming_the_field(string number, string shown)
    {
        var json = $$$"""{"nodes":[{"id":"n","type":"number","data":{"value":{{{number}}}}}]}""";
        var ex = Assert.Throws<WorkflowException>(() => TestEngines.Create().Parse(json));
        Assert.Equal(WorkflowErrorKind.Decode, ex.Kind);
        Assert.Equal($"failed to parse payload: number {shown} is out of range in field data.value of node n", ex.Message);
        Assert.Equal("n", ex.NodeId);
    }

    [Fact]
    public void A_four_hundred_digit_integer_deep_inside_data_is_refused_with_its_path()
    {
        var digits = "1" + new string('0', 399);
        var json = """{"nodes":[{"id":"t","type":"transform","data":{"mapping":{"a":[1,{"b":DIGITS}]}}}]}""".Replace("DIGITS", digits, StringComparison.Ordinal);
        var ex = Assert.Throws<WorkflowException>(() => TestEngines.Create().Parse(json));
        Assert.Equal($"failed to parse payload: number {digits[..40]}… is out of range in field data.mapping.a[1].b of node t", ex.Message);
    }

    [Fact]
    public void The_largest_double_is_still_a_number()
    {
        var workflow = TestEngines.Create().Parse("""{"nodes":[{"id":"n","type":"number","data":{"value":1.7976931348623157e308}}]}""");
        Assert.NotNull(workflow);
    }

    [Fact]
    public async Task Parse_of_an_out_of_range_number_fails_the_node()
    {
        var json = """
            {"nodes":[{"id":"t","type":"text_input","data":{"text":"[1, 1e999]"}},{"id":"p","type":"parse","data":{"input_type":"JSON"}}],
             "edges":[{"source":"t","target":"p"}]}
            """;
        var result = await TestEngines.RunAsync(json);
        Assert.StartsWith("error executing node p: invalid JSON: number 1e999 is out of range at [1]", result.Error?.Message, StringComparison.Ordinal);
    }
}
