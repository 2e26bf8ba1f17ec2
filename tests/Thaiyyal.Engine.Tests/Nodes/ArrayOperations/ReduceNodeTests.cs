using static Thaiyyal.Engine.Tests.Nodes.ExpressionNodeRunner;

namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class ReduceNodeTests
{
    [Fact]
    public void Folds_the_array() =>
        Assert.Equal("""{"failed":0,"final_value":10,"initial_value":null,"input_count":4,"iterations":4,"result":10,"successful":4}""",
            ResultJson("reduce", """{"expression":"accumulator + item"}""", "[1,2,3,4]"));

    [Theory]
    [InlineData("""{"expression":"accumulator * item","initial_value":1}""", "[2,3,4]", "24")]
    [InlineData("""{"expression":"accumulator + item","initial_value":"0"}""", "[1,2]", "3")]
    [InlineData("""{"expression":"accumulator + index","initial_value":100}""", "[9,9,9]", "103")]
    [InlineData("""{"expression":"max(accumulator, items.length)"}""", "[5,5]", "2")]
    public void Binds_accumulator_item_index_and_items(string data, string input, string expected) =>
        Assert.Contains($"\"result\":{expected}", ResultJson("reduce", data, input), StringComparison.Ordinal);

    [Fact]
    public void A_failing_step_keeps_the_accumulator() =>
        Assert.Equal("""{"failed":2,"final_value":4,"initial_value":0,"input_count":4,"iterations":4,"result":4,"successful":2}""",
            ResultJson("reduce", """{"expression":"accumulator + item","initial_value":0}""", """[1,"x",3,null]"""));

    [Fact]
    public void The_editor_default_of_the_original_fails_every_step() =>
        Assert.Contains("\"result\":\"0\"", ResultJson("reduce", """{"expression":"acc + item","initial_value":"0"}""", "[1,2]"), StringComparison.Ordinal);

    [Fact]
    public void Errors()
    {
        Assert.Equal("error executing node n: reduce node needs at least 1 input", ErrorMessage("reduce", """{"expression":"item"}"""));
        Assert.Equal("error executing node n: reduce node requires array input, got float64", ErrorMessage("reduce", """{"expression":"item"}""", "1"));
        Assert.Equal("error executing node n: reduce node requires an expression", ErrorMessage("reduce", """{"expression":""}""", "[1]"));
        Assert.Contains("missing required field: expression", ErrorMessage("reduce", "{}", "[1]"), StringComparison.Ordinal);
    }

    [Fact]
    public void Is_independent_unless_it_reads_shared_state()
    {
        Assert.True(IsIndependent("reduce", """{"expression":"accumulator + item"}"""));
        Assert.False(IsIndependent("reduce", """{"expression":"accumulator + context.step"}"""));
    }
}
