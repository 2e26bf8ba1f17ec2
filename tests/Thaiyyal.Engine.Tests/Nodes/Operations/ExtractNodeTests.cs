namespace Thaiyyal.Engine.Tests.Nodes.Operations;

public sealed class ExtractNodeTests
{
    private const string Record = """{"a":1,"b":{"c":2},"d":null,"x.y":3}""";
    private readonly NodeHarness _harness = new();

    [Theory]
    [InlineData("b", """{"c":2}""")]
    [InlineData("d", "null")]
    [InlineData("x.y", "3")]
    public async Task One_field_gives_field_and_value(string field, string value)
    {
        JsonAssert.Equal($$"""{"field":"{{field}}","value":{{value}}}""", await _harness.ResultAsync("extract", $$"""{"field":"{{field}}"}""", Record));
    }

    [Fact]
    public async Task Several_fields_give_the_ones_present()
    {
        JsonAssert.Equal("""{"a":1,"d":null}""", await _harness.ResultAsync("extract", """{"fields":["a","d","zz"]}""", Record));
    }

    [Fact]
    public async Task Field_wins_over_fields()
    {
        JsonAssert.Equal("""{"field":"a","value":1}""", await _harness.ResultAsync("extract", """{"field":"a","fields":["b"]}""", Record));
    }

    [Fact]
    public async Task Dotted_names_are_plain_keys_not_paths()
    {
        Assert.Equal("field 'b.c' not found in input object", await _harness.FailureAsync("extract", """{"field":"b.c"}""", Record));
    }

    [Theory]
    [InlineData("[1]", "extract node requires object input, got []interface {}")]
    [InlineData("null", "extract node requires object input, got <nil>")]
    [InlineData("5", "extract node requires object input, got float64")]
    public async Task A_non_object_input_fails(string input, string message)
    {
        Assert.Equal(message, await _harness.FailureAsync("extract", """{"field":"a"}""", input));
    }

    [Fact]
    public async Task No_input_fails()
    {
        Assert.Equal("extract node requires input", await _harness.FailureAsync("extract", """{"field":"a"}"""));
    }

    [Fact]
    public async Task The_editor_default_empty_field_looks_up_the_empty_key()
    {
        Assert.Equal("field '' not found in input object", await _harness.FailureAsync("extract", """{"field":""}""", Record));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"fields":[]}""")]
    [InlineData("""{"field":null}""")]
    public void Needs_field_or_fields(string data)
    {
        Assert.Equal("missing required field: field or fields", _harness.Rejection("extract", data));
    }
}
