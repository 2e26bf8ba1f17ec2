using System.Globalization;
using System.Text;

namespace Thaiyyal.Engine.Nodes.Operations;

/// <summary><c>text_operation</c>: case changes, concatenation and repetition of text.</summary>
internal sealed class TextOperationNode : NodeExecutor<TextOperationNode.Options>
{
    /// <summary>The operation and its parameters.</summary>
    public sealed record Options(string TextOp, string Separator, long? RepeatN);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("text_operation", NodeCategories.Operations, "Text Operation",
        "Changes the case of text, joins texts, or repeats a text.",
        [
            new NodeField("text_op", FieldType.String, "Operation", "What to do with the text.", Required: true, Default: "uppercase",
                Options: ["uppercase", "lowercase", "titlecase", "camelcase", "inversecase", "concat", "repeat"]),
            new NodeField("separator", FieldType.String, "Separator", "Put between the inputs by concat.", Default: ""),
            new NodeField("repeat_n", FieldType.Integer, "Repeat count", "How many times repeat writes the text."),
        ])
    {
        MaxInputs = null,
        EditorDefaults = ValueObject.Of(("text_op", "uppercase")),
    } with { Inference = new(8, ["text_op"]) };

    protected override bool IsIndependent(Options options) => true;

    protected override Options BindOptions(NodeData data) =>
        new(data.RequiredString("text_op"), data.String("separator") ?? "", data.Integer("repeat_n"));

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var inputs = context.Inputs;
        if (inputs.Count == 0) throw new NodeExecutionException("text operation needs at least 1 input");
        switch (options.TextOp)
        {
            case "concat":
                return new(Concat(inputs, options.Separator, context.Limits));
            case "repeat":
                return new(Repeat(inputs[0], options.RepeatN, context.Limits));
        }
        if (!inputs[0].TryGetString(out var text)) throw new NodeExecutionException("text operation input must be text/string");
        return options.TextOp switch
        {
            "uppercase" => new(text.ToUpperInvariant()),
            "lowercase" => new(text.ToLowerInvariant()),
            "titlecase" => new(TitleCase(text)),
            "camelcase" => new(CamelCase(text)),
            "inversecase" => new(InverseCase(text)),
            _ => throw new NodeExecutionException($"unknown text operation: {options.TextOp}"),
        };
    }

    private static string Concat(IReadOnlyList<Value> inputs, string separator, ExecutionLimits limits)
    {
        var parts = new string[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            if (!inputs[i].TryGetString(out var s)) throw new NodeExecutionException($"concat operation input {i} must be text/string");
            parts[i] = s;
        }
        var result = string.Join(separator, parts);
        CheckLength(result.Length, limits);
        return result;
    }

    private static string Repeat(Value input, long? count, ExecutionLimits limits)
    {
        if (!input.TryGetString(out var text)) throw new NodeExecutionException("repeat operation input must be text/string");
        if (count is null) throw new NodeExecutionException("repeat operation requires repeat_n field");
        if (count < 0) throw new NodeExecutionException($"repeat_n must be non-negative, got {count}");
        CheckLength((long)text.Length * count.Value, limits);
        return new StringBuilder(text.Length * (int)count.Value).Insert(0, text, (int)count.Value).ToString();
    }

    // A hostile repeat count must fail cleanly rather than exhaust memory.
    private static void CheckLength(long length, ExecutionLimits limits)
    {
        var limit = limits.MaxStringLength > 0 ? limits.MaxStringLength : int.MaxValue / 2;
        if (length > limit) throw new ExecutionLimitException("string_length", $"string too long: {length} characters (limit: {limit})");
    }

    /// <summary>Lower-cases everything, then upper-cases the first letter of each word (letters, digits and inner apostrophes).</summary>
    internal static string TitleCase(string text)
    {
        var chars = text.ToLowerInvariant().ToCharArray();
        var inWord = false;
        var capitalised = false;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var apostropheInWord = (c == '\'' || c == '’') && inWord && i + 1 < chars.Length && char.IsLetter(chars[i + 1]);
            if (char.IsLetterOrDigit(c) || apostropheInWord || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark)
            {
                if (!inWord) capitalised = false;
                inWord = true;
                if (char.IsLetter(c) && !capitalised)
                {
                    chars[i] = char.ToUpperInvariant(c);
                    capitalised = true;
                }
            }
            else
            {
                inWord = false;
            }
        }
        return new string(chars);
    }

    /// <summary>Splits on white space; the first word lower-cased, each later word capitalised (first character, not byte).</summary>
    internal static string CamelCase(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return text;
        var sb = new StringBuilder(text.Length);
        sb.Append(words[0].ToLowerInvariant());
        for (var i = 1; i < words.Length; i++)
        {
            var word = words[i];
            var firstLength = char.IsSurrogatePair(word, 0) ? 2 : 1;
            sb.Append(word[..firstLength].ToUpperInvariant()).Append(word[firstLength..].ToLowerInvariant());
        }
        return sb.ToString();
    }

    internal static string InverseCase(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsUpper(c)) chars[i] = char.ToLowerInvariant(c);
            else if (char.IsLower(c)) chars[i] = char.ToUpperInvariant(c);
        }
        return new string(chars);
    }
}
