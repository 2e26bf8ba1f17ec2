namespace Thaiyyal.Engine.Nodes.InputOutput;

/// <summary>A node that outputs one constant taken from its data; the five input nodes differ only in field and type.</summary>
/// <remarks>
/// The bound options are the node's data object itself (immutable, already decoded): the constant is read from it
/// when the node runs, so binding allocates nothing.
/// </remarks>
internal abstract class ConstantNode : NodeExecutor<ValueObject>
{
    /// <inheritdoc />
    protected override bool IsIndependent(ValueObject options) => true;

    /// <summary>The data key that holds the constant.</summary>
    protected string FieldName => _fieldName ??= Descriptor.Fields[0].Name;

    private string? _fieldName;

    /// <inheritdoc />
    protected override ValueObject BindOptions(NodeData data) => data.Raw;

    /// <inheritdoc />
    protected override ValueTask<Value> ExecuteAsync(NodeContext context, ValueObject options) => new(options.GetOrNull(FieldName));

    /// <summary>A source node's descriptor with its one required field.</summary>
    protected static NodeDescriptor Source(string type, string label, string description, NodeField field) =>
        new(type, NodeCategories.InputOutput, label, description, [field])
        {
            MinInputs = 0,
            MaxInputs = 0,
            EditorDefaults = ValueObject.Of((field.Name, field.Default)),
        };
}

/// <summary><c>number</c>: a constant number.</summary>
internal sealed class NumberNode : ConstantNode
{
    public override NodeDescriptor Descriptor { get; } = Source("number", "Number", "A constant number.",
        new NodeField("value", FieldType.Number, "Value", "The number to output.", Required: true, Default: 0)) with { Inference = new(1, ["value"]) };
}

/// <summary><c>text_input</c>: a constant string.</summary>
internal sealed class TextInputNode : ConstantNode
{
    public override NodeDescriptor Descriptor { get; } = Source("text_input", "Text Input", "A constant piece of text.",
        new NodeField("text", FieldType.String, "Text", "The text to output.", Required: true, Default: "")) with { Inference = new(2, ["text"]) };
}

/// <summary><c>boolean_input</c>: a constant boolean.</summary>
internal sealed class BooleanInputNode : ConstantNode
{
    public override NodeDescriptor Descriptor { get; } = Source("boolean_input", "Boolean Input", "A constant true or false.",
        new NodeField("boolean_value", FieldType.Boolean, "Value", "The boolean to output.", Required: true, Default: false)) with { Inference = new(3, ["boolean_value"]) };
}

/// <summary><c>date_input</c>: a constant date string (not validated, as in the original).</summary>
internal sealed class DateInputNode : ConstantNode
{
    public override NodeDescriptor Descriptor { get; } = Source("date_input", "Date Input", "A constant date (YYYY-MM-DD), output as text.",
        new NodeField("date_value", FieldType.String, "Date", "The date, e.g. 2024-01-15.", Required: true, Default: "")) with { Inference = new(4, ["date_value"]) };
}

/// <summary><c>datetime_input</c>: a constant date-time string (not validated, as in the original).</summary>
internal sealed class DateTimeInputNode : ConstantNode
{
    public override NodeDescriptor Descriptor { get; } = Source("datetime_input", "DateTime Input", "A constant date and time (ISO 8601), output as text.",
        new NodeField("datetime_value", FieldType.String, "Date and time", "The date-time, e.g. 2024-01-15T10:30:00Z.", Required: true, Default: "")) with { Inference = new(5, ["datetime_value"]) };
}
