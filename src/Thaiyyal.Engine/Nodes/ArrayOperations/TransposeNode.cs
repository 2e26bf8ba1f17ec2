namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>transpose</c>: rows become columns in an array of equal-length arrays.</summary>
internal sealed class TransposeNode : ArrayNodeExecutor<NoOptions>
{
    public override NodeDescriptor Descriptor { get; } = new("transpose", NodeCategories.ArrayOperations, "Transpose",
        "Turns an array of rows into an array of columns; every row must have the same length.", [])
    {
        EditorDefaults = ValueObject.Empty,
    };

    protected override NoOptions BindOptions(NodeData data) => NoOptions.Instance;

    protected override Value Execute(ValueArray items, NoOptions options, NodeContext context)
    {
        var rows = items;
        if (rows.Count == 0)
            return ValueObject.Of(("transposed", ValueArray.Empty), ("rows", Value.FromInteger(0)), ("cols", Value.FromInteger(0)));
        if (!rows[0].TryGetArray(out var first))
            return ValueObject.Of(("error", "input is not a 2D array (array of arrays)"), ("first_element", rows[0]), ("expected", "array of arrays"));
        var cols = first.Count;
        for (var i = 0; i < rows.Count; i++)
        {
            if (!rows[i].TryGetArray(out var row))
                return ValueObject.Of(("error", $"row {i} is not an array"), ("row_index", Value.FromInteger(i)), ("row_value", rows[i]));
            if (row.Count != cols)
                return ValueObject.Of(("error", "all rows must have the same length"), ("expected_cols", Value.FromInteger(cols)),
                    ("row_index", Value.FromInteger(i)), ("actual_cols", Value.FromInteger(row.Count)));
        }
        var transposed = new Value[cols];
        for (var c = 0; c < cols; c++)
        {
            var column = new Value[rows.Count];
            for (var r = 0; r < rows.Count; r++) column[r] = rows[r].AsArray()[c];
            transposed[c] = new ValueArray(column);
        }
        return ValueObject.Of(
            ("transposed", new ValueArray(transposed)),
            ("rows", Value.FromInteger(rows.Count)),
            ("cols", Value.FromInteger(cols)),
            ("transposed_rows", Value.FromInteger(cols)),
            ("transposed_cols", Value.FromInteger(rows.Count)));
    }
}
