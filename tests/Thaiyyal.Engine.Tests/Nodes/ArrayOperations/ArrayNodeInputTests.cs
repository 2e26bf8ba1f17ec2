namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

/// <summary>The input rules every array node shares (nodes.md H).</summary>
public sealed class ArrayNodeInputTests
{
    private readonly NodeHarness _harness = new();

    public static TheoryData<string, string> ArrayNodes => new()
    {
        { "slice", "{}" }, { "sort", "{}" }, { "flat_map", "{}" }, { "group_by", """{"field":"k"}""" },
        { "unique", "{}" }, { "chunk", """{"size":2}""" }, { "reverse", "{}" }, { "sample", """{"count":1}""" },
        { "transpose", "{}" }, { "compact", "{}" },
    };

    [Theory]
    [MemberData(nameof(ArrayNodes))]
    public async Task No_input_fails_with_the_node_type_named(string type, string data)
    {
        Assert.Equal($"{type} node needs at least 1 input", await _harness.FailureAsync(type, data));
    }

    [Theory]
    [MemberData(nameof(ArrayNodes))]
    public async Task A_non_array_input_gives_an_error_object_not_a_failure(string type, string data)
    {
        JsonAssert.Equal("""{"error":"input is not an array","input":{"a":1},"original_type":"map[string]interface {}"}""",
            await _harness.ResultAsync(type, data, """{"a":1}"""));
        JsonAssert.Equal("""{"error":"input is not an array","input":null,"original_type":"<nil>"}""",
            await _harness.ResultAsync(type, data, "null"));
        JsonAssert.Equal("""{"error":"input is not an array","input":"abc","original_type":"string"}""",
            await _harness.ResultAsync(type, data, "\"abc\""));
    }

    [Theory]
    [MemberData(nameof(ArrayNodes))]
    public async Task Only_the_first_input_is_used(string type, string data)
    {
        var single = await _harness.ResultAsync(type, data, "[]");
        var withSecond = await _harness.ResultAsync(type, data, "[]", "[[1,2],[3,4]]");
        Assert.Equal(single, withSecond);
    }
}
