using Thaiyyal.Engine.Expressions;

namespace Thaiyyal.Engine.Nodes.ControlFlow;

/// <summary><c>switch</c>: the first case whose condition holds (or the default case) names the active output.</summary>
internal sealed class SwitchNode : NodeExecutor<SwitchNode.Options>
{
    /// <summary>The cases in order; the last one is the default.</summary>
    public sealed record Options(IReadOnlyList<Case> Cases);

    /// <summary>One case: its condition (null for the default), its output path and the <c>when</c> text as written.</summary>
    public sealed record Case(string When, ParsedExpression? Condition, string? OutputPath, bool IsDefault);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("switch", NodeCategories.ControlFlow, "Switch",
        "Routes its input to the output of the first case whose condition holds, or to the default case.",
        [new NodeField("cases", FieldType.Array, "Cases",
            "Each case: when (a condition), output_path (the output it activates), is_default (exactly one, last).", Required: true)])
    {
        Outputs = [],
        DynamicOutputs = true,
        EditorDefaults = ValueObject.Of(("cases", new ValueArray([
            ValueObject.Of(("when", "default"), ("output_path", "default"), ("is_default", true)),
        ]))),
    } with { Inference = new(20, ["cases"]) };

    protected override bool IsIndependent(Options options)
    {
        foreach (var c in options.Cases)
        {
            if (c.Condition is { ReadsSharedState: true }) return false;
        }
        return true;
    }

    protected override Options BindOptions(NodeData data)
    {
        var raw = data.Array("cases");
        if (raw is null || raw.Count == 0) throw NodeData.Missing("cases");
        // Decoding (type errors) comes before the rules, as in the original.
        var cases = raw.Select(c => ReadCase(c, data)).ToList();
        var defaults = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            if (c.IsDefault)
            {
                if (i != raw.Count - 1)
                    throw new NodeDataException($"default case must be the last case in the array (found at index {i}, but last index is {raw.Count - 1})");
                defaults++;
            }
            else if (string.IsNullOrEmpty(c.OutputPath))
            {
                throw new NodeDataException($"case at index {i} must have output_path (non-default cases require output_path)");
            }
        }
        if (defaults != 1) throw new NodeDataException($"switch node must have exactly one default case (found {defaults})");
        return new(cases);
    }

    private static Case ReadCase(Value raw, NodeData data)
    {
        if (!raw.TryGetObject(out var obj))
            throw new NodeDataException($"json: cannot unmarshal {JsonKind(raw)} into Go struct field SwitchData.cases of type workflow.SwitchCase");
        var when = ReadString(obj, "when") ?? "";
        var outputPath = ReadString(obj, "output_path");
        var isDefault = false;
        if (obj.TryGetValue("is_default", out var flag) && !flag.IsNull)
        {
            if (!flag.TryGetBool(out isDefault))
                throw new NodeDataException($"json: cannot unmarshal {JsonKind(flag)} into Go struct field SwitchData.cases.is_default of type bool");
        }
        return new(when, isDefault ? null : data.Expression(when), outputPath, isDefault);
    }

    private static string? ReadString(ValueObject obj, string key)
    {
        if (!obj.TryGetValue(key, out var value) || value.IsNull) return null;
        return value.TryGetString(out var text)
            ? text
            : throw new NodeDataException($"json: cannot unmarshal {JsonKind(value)} into Go struct field SwitchData.cases.{key} of type string");
    }

    private static string JsonKind(Value value) => value.Kind switch
    {
        ValueKind.Bool => "bool",
        ValueKind.String => "string",
        ValueKind.Array => "array",
        ValueKind.Object => "object",
        _ => "number",
    };

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        if (context.Inputs.Count == 0) throw new NodeExecutionException("switch node requires at least one input");
        var input = context.Input;
        var scope = new ExpressionScope(input, ExpressionEnvironment.For(context));
        for (var i = 0; i < options.Cases.Count; i++)
        {
            var c = options.Cases[i];
            if (c.IsDefault)
            {
                var path = string.IsNullOrEmpty(c.OutputPath) ? "default" : c.OutputPath;
                return new(Result(input, matched: false, "default", path, i));
            }
            if (!c.Condition!.TryEvaluateBoolean(scope, out var met, out var error))
                throw new NodeExecutionException($"switch case {i} evaluation failed: {error.Message}", error);
            if (met) return new(Result(input, matched: true, c.When, c.OutputPath!, i));
        }
        throw new NodeExecutionException("switch node reached end without matching any case or default (validation error)");
    }

    private static Value Result(Value input, bool matched, string caseText, string outputPath, int index) => ValueObject.Of(
        ("value", input),
        ("matched", matched),
        ("case", caseText),
        ("output_path", outputPath),
        ("case_index", Value.FromInteger(index)));
}
