using Thaiyyal.Engine.Nodes.ArrayOperations;

namespace Thaiyyal.Engine.Nodes.Operations;

/// <summary><c>transform</c>: structural conversions between arrays and objects.</summary>
internal sealed class TransformNode : NodeExecutor<TransformNode.Options>
{
    /// <summary>The conversion.</summary>
    public sealed record Options(string TransformType);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("transform", NodeCategories.Operations, "Transform",
        "Lists the inputs, builds an object from key/value pairs, flattens nested arrays, or lists an object's keys or values.",
        [new NodeField("transform_type", FieldType.String, "Conversion", "to_array, to_object, flatten, keys or values.", Required: true, Default: "to_array",
            Options: ["to_array", "to_object", "flatten", "keys", "values"])])
    {
        MaxInputs = null,
        EditorDefaults = ValueObject.Of(("transform_type", "to_array")),
    } with { Inference = new(17, ["transform_type"]) };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) => new(data.RequiredString("transform_type"));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var inputs = context.Inputs;
        if (inputs.Count == 0) throw new NodeExecutionException("transform node requires input");
        var input = inputs[0];
        return new(options.TransformType switch
        {
            "to_array" => new ValueArray(inputs),
            "to_object" => ToObject(input),
            "flatten" => Flatten(input, context.Limits),
            // The original listed keys in random map order; ordinal order is the spec's recommendation.
            "keys" => input.TryGetObject(out var k)
                ? new ValueArray(k.SortedKeys.Select(key => Value.From(key)))
                : throw new NodeExecutionException($"keys transform requires object input, got {input.GoTypeName}"),
            "values" => input.TryGetObject(out var v)
                ? new ValueArray(v.SortedKeys.Select(key => v[key]))
                : throw new NodeExecutionException($"values transform requires object input, got {input.GoTypeName}"),
            _ => throw new NodeExecutionException($"unsupported transform type: {options.TransformType}"),
        });
    }

    private static Value ToObject(Value input)
    {
        if (!input.TryGetArray(out var pairs)) throw new NodeExecutionException($"to_object requires array input, got {input.GoTypeName}");
        var result = new Dictionary<string, Value>(pairs.Count / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < pairs.Count; i += 2)
        {
            if (!pairs[i].TryGetString(out var key)) throw new NodeExecutionException($"to_object requires string keys at index {i}");
            result[key] = pairs[i + 1];
        }
        return new ValueObject(result);
    }

    private static Value Flatten(Value input, ExecutionLimits limits)
    {
        if (!input.TryGetArray(out var array)) throw new NodeExecutionException($"flatten requires array input, got {input.GoTypeName}");
        var flat = new List<Value>();
        // An explicit stack instead of recursion: depth is bounded by the reader, but this keeps it cheap.
        var stack = new Stack<(ValueArray Array, int Index)>();
        stack.Push((array, 0));
        while (stack.Count > 0)
        {
            var (current, index) = stack.Pop();
            if (index >= current.Count) continue;
            stack.Push((current, index + 1));
            var item = current[index];
            if (item.TryGetArray(out var inner))
            {
                stack.Push((inner, 0));
                continue;
            }
            flat.Add(item);
            ArrayResults.CheckLength(flat.Count, limits, "flatten");
        }
        return ArrayResults.NilArray(flat);
    }
}
