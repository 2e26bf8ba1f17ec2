namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class ChunkNodeTests
{
    private readonly NodeHarness _harness = new();

    [Theory]
    [InlineData("2", "[[1,2],[3,4],[5]]", 2)]
    [InlineData("2.9", "[[1,2],[3,4],[5]]", 2)]
    [InlineData("5", "[[1,2,3,4,5]]", 5)]
    [InlineData("100", "[[1,2,3,4,5]]", 100)]
    [InlineData("\"3\"", "[[1,2,3,4,5]]", 10)]
    public async Task Cuts_the_array_into_pieces(string size, string chunks, int chunkSize)
    {
        var result = await _harness.ResultAsync("chunk", $$"""{"size":{{size}}}""", "[1,2,3,4,5]");
        var count = Engine.Workflows.ValueJson.Parse(chunks).AsArray().Count;
        JsonAssert.Equal($$"""{"chunks":{{chunks}},"input_count":5,"chunk_count":{{count}},"chunk_size":{{chunkSize}}}""", result);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("-3", -3)]
    [InlineData("0.5", 0)]
    public async Task A_size_below_one_fails(string size, int shown)
    {
        Assert.Equal($"chunk size must be greater than 0, got {shown}", await _harness.FailureAsync("chunk", $$"""{"size":{{size}}}""", "[1]"));
    }

    [Fact]
    public async Task An_empty_array_is_a_nil_array()
    {
        JsonAssert.Equal("""{"chunks":null,"input_count":0,"chunk_count":0,"chunk_size":3}""", await _harness.ResultAsync("chunk", """{"size":3}""", "[]"));
    }

    [Fact]
    public void Size_is_required()
    {
        Assert.Equal("missing required field: size", _harness.Rejection("chunk", """{"size":null}"""));
    }
}
