namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class ReverseNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Reverses_the_elements()
    {
        JsonAssert.Equal("""{"reversed":[3,null,"x"],"count":3}""", await _harness.ResultAsync("reverse", "{}", """["x",null,3]"""));
    }

    [Fact]
    public async Task An_empty_array_stays_an_empty_array()
    {
        JsonAssert.Equal("""{"reversed":[],"count":0}""", await _harness.ResultAsync("reverse", "{}", "[]"));
    }
}
