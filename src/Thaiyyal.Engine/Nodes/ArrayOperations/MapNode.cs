using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>map</c>: one result per array element, from a field of the element or an expression.</summary>
internal sealed class MapNode : NodeExecutor<MapNode.Options>
{
    /// <summary>A field name (wins when both are set) or an expression parsed once at decode.</summary>
    public sealed record Options(string? Field, ParsedExpression? Expression);

    public override NodeDescriptor Descriptor { get; } = new("map", NodeCategories.ArrayOperations, "Map",
        "Transforms every element of an array with an expression (item, index, items bound) or picks one field.",
        [
            new NodeField("expression", FieldType.Expression, "Expression", "Evaluated per element, e.g. item * 2; without it (and without field) the input passes through with a warning."),
            new NodeField("field", FieldType.String, "Field", "Takes this field of every element instead (wins over expression)."),
        ])
    {
        // A new node starts with an example; it is not a default (absent means no transformation, nodes.md `map`).
        EditorDefaults = ValueObject.Of(("expression", "item * 2")),
    };

    protected override bool IsIndependent(Options options) => options.Field is not null || options.Expression is not { ReadsSharedState: true };

    protected override Options BindOptions(NodeData data)
    {
        var field = data.String("field");
        if (!string.IsNullOrEmpty(field)) return new(field, null);
        var expression = data.String("expression");
        return new(null, string.IsNullOrEmpty(expression) ? null : data.Expression(expression));
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("map node needs at least 1 input");
        var input = context.Input;
        if (!input.TryGetArray(out var array)) throw new NodeExecutionException($"map node requires array input, got {input.GoTypeName}");
        var count = Value.FromInteger(array.Count);
        if (options.Field is null && options.Expression is null)
        {
            return new(ValueObject.Of(("results", input), ("input_count", count), ("output_count", count), ("warning", "no transformation specified")));
        }
        var results = new Value[array.Count];
        var successful = 0;
        var environment = ExpressionEnvironment.For(context);
        var loop = options.Expression is { } expression
            ? new ElementLoop(expression, environment, items: input)
            : default;
        for (var i = 0; i < results.Length; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (TryMap(options, array[i], i, ref loop, out results[i])) successful++;
        }
        return new(ValueObject.Of(
            ("results", new ValueArray(results)),
            ("input_count", count),
            ("output_count", count),
            ("successful", Value.FromInteger(successful)),
            ("failed", Value.FromInteger(array.Count - successful))));
    }

    private static bool TryMap(Options options, Value element, int index, ref ElementLoop loop, out Value result)
    {
        if (options.Field is not null)
        {
            result = element.TryGetObject(out var obj) ? obj.GetOrNull(options.Field) : default;
            return element.IsObject && obj!.ContainsKey(options.Field);
        }
        // A failing element (missing field, type error, even a bad expression) yields null and counts as failed.
        if (loop.TryValue(element, Value.From((double)index), out result, out _)) return true;
        result = default;
        return false;
    }
}
