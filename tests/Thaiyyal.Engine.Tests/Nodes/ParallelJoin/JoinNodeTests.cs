namespace Thaiyyal.Engine.Tests.Nodes.ParallelJoin;

public sealed class JoinNodeTests
{
    private readonly NodeHarness _harness = new();

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"join_strategy":"all","timeout":"5s"}""")]
    [InlineData("""{"join_strategy":""}""")]
    public async Task All_lists_every_input_in_edge_order(string data)
    {
        JsonAssert.Equal("""{"strategy":"all","values":[1,"a",null],"count":3}""", await _harness.ResultAsync("join", data, "1", "\"a\"", "null"));
    }

    [Fact]
    public async Task Any_takes_the_first_input_and_counts_them_all()
    {
        JsonAssert.Equal("""{"strategy":"any","value":{"x":1},"count":2}""", await _harness.ResultAsync("join", """{"join_strategy":"any"}""", """{"x":1}""", "2"));
    }

    [Fact]
    public async Task First_takes_the_first_input()
    {
        JsonAssert.Equal("""{"strategy":"first","value":[1]}""", await _harness.ResultAsync("join", """{"join_strategy":"first"}""", "[1]", "2"));
    }

    [Theory]
    [InlineData("all", "join node with 'all' strategy requires at least one input")]
    [InlineData("any", "join node with 'any' strategy has no inputs")]
    [InlineData("first", "join node with 'first' strategy has no inputs")]
    public async Task No_input_fails_per_strategy(string strategy, string message)
    {
        Assert.Equal(message, await _harness.FailureAsync("join", $$"""{"join_strategy":"{{strategy}}"}"""));
    }

    [Fact]
    public async Task An_unknown_strategy_fails()
    {
        Assert.Equal("unsupported join strategy: merge (use all, any, or first)", await _harness.FailureAsync("join", """{"join_strategy":"merge"}""", "1"));
    }
}
