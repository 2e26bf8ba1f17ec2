namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>reverse</c>: the input array in reverse order.</summary>
internal sealed class ReverseNode : ArrayNodeExecutor<NoOptions>
{
    public override NodeDescriptor Descriptor { get; } = new("reverse", NodeCategories.ArrayOperations, "Reverse",
        "Reverses the order of the array's elements.", [])
    {
        EditorDefaults = ValueObject.Empty,
    };

    protected override NoOptions BindOptions(NodeData data) => NoOptions.Instance;

    protected override Value Execute(ValueArray items, NoOptions options, NodeContext context)
    {
        var reversed = items.AsSpan().ToArray();
        Array.Reverse(reversed);
        return ValueObject.Of(("reversed", new ValueArray(reversed)), ("count", Value.FromInteger(reversed.Length)));
    }
}
