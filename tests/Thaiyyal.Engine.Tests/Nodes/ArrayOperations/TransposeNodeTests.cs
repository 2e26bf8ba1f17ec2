namespace Thaiyyal.Engine.Tests.Nodes.ArrayOperations;

public sealed class TransposeNodeTests
{
    private readonly NodeHarness _harness = new();

    [Fact]
    public async Task Rows_become_columns()
    {
        JsonAssert.Equal("""{"transposed":[[1,4],[2,5],[3,6]],"rows":2,"cols":3,"transposed_rows":3,"transposed_cols":2}""",
            await _harness.ResultAsync("transpose", "{}", "[[1,2,3],[4,5,6]]"));
    }

    [Fact]
    public async Task Empty_input_has_its_own_shape()
    {
        JsonAssert.Equal("""{"transposed":[],"rows":0,"cols":0}""", await _harness.ResultAsync("transpose", "{}", "[]"));
    }

    [Fact]
    public async Task Rows_of_no_columns_transpose_to_nothing()
    {
        JsonAssert.Equal("""{"transposed":[],"rows":2,"cols":0,"transposed_rows":0,"transposed_cols":2}""",
            await _harness.ResultAsync("transpose", "{}", "[[],[]]"));
    }

    [Fact]
    public async Task A_first_element_that_is_not_an_array_is_reported()
    {
        JsonAssert.Equal("""{"error":"input is not a 2D array (array of arrays)","first_element":1,"expected":"array of arrays"}""",
            await _harness.ResultAsync("transpose", "{}", "[1,[2]]"));
    }

    [Fact]
    public async Task A_later_row_that_is_not_an_array_is_reported()
    {
        JsonAssert.Equal("""{"error":"row 1 is not an array","row_index":1,"row_value":"x"}""",
            await _harness.ResultAsync("transpose", "{}", """[[1],"x"]"""));
    }

    [Fact]
    public async Task Ragged_rows_are_reported()
    {
        JsonAssert.Equal("""{"error":"all rows must have the same length","expected_cols":2,"row_index":2,"actual_cols":1}""",
            await _harness.ResultAsync("transpose", "{}", "[[1,2],[3,4],[5]]"));
    }
}
