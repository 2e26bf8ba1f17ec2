using System.Text;

namespace Thaiyyal.Engine.Expressions.Functions;

/// <summary>The twelve methods (expressions.md §4.1): string and array helpers called as <c>value.name(args)</c>.</summary>
internal static class Methods
{
    private static readonly Dictionary<string, MethodDefinition> ByName = new MethodDefinition[]
    {
        new("toUpperCase", 0, (ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> _) =>
            Value.From(RequireString(ref ev, call, receiver).ToUpperInvariant())),
        new("toLowerCase", 0, (ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> _) =>
            Value.From(RequireString(ref ev, call, receiver).ToLowerInvariant())),
        new("trim", 0, (ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> _) =>
            Value.From(RequireString(ref ev, call, receiver).Trim())),
        new("includes", 1, Includes),
        new("startsWith", 1, (ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> args) =>
            Value.From(RequireString(ref ev, call, receiver).StartsWith(Compatibility.GoValueText.ToGoString(args[0]), StringComparison.Ordinal))),
        new("endsWith", 1, (ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> args) =>
            Value.From(RequireString(ref ev, call, receiver).EndsWith(Compatibility.GoValueText.ToGoString(args[0]), StringComparison.Ordinal))),
        new("replace", 2, Replace),
        new("split", 1, Split),
        new("join", 1, (ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> args) =>
        {
            var array = RequireArray(ref ev, call, receiver);
            var parts = new string[array.Count];
            for (var i = 0; i < parts.Length; i++) parts[i] = Compatibility.GoValueText.ToGoString(array[i]);
            var joined = string.Join(Compatibility.GoValueText.ToGoString(args[0]), parts);
            Limits.CheckString(ref ev, joined);
            return Value.From(joined);
        }),
        new("reverse", 0, (ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> _) =>
        {
            var items = RequireArray(ref ev, call, receiver).AsSpan().ToArray();
            Array.Reverse(items);
            return Value.From(new ValueArray(items));
        }),
        new("first", 0, (ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> _) =>
        {
            var array = RequireArray(ref ev, call, receiver);
            return array.Count == 0 ? Value.Null : array[0];
        }),
        new("last", 0, (ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> _) =>
        {
            var array = RequireArray(ref ev, call, receiver);
            return array.Count == 0 ? Value.Null : array[^1];
        }),
    }.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>Every method, for documentation and tests.</summary>
    public static IReadOnlyCollection<MethodDefinition> All => ByName.Values;

    public static MethodDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    private static string RequireString(ref Evaluator ev, MethodNode call, Value receiver) =>
        receiver.TryGetString(out var text) ? text
        : throw ev.Error(call, $"{call.Method.Name}() can only be called on strings, got {receiver.GoTypeName}");

    private static ValueArray RequireArray(ref Evaluator ev, MethodNode call, Value receiver) =>
        receiver.TryGetArray(out var array) ? array
        : throw ev.Error(call, $"{call.Method.Name}() can only be called on arrays, got {receiver.GoTypeName}");

    private static Value Includes(ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> args)
    {
        var needle = args[0];
        if (receiver.TryGetString(out var text)) return Value.From(text.Contains(Compatibility.GoValueText.ToGoString(needle), StringComparison.Ordinal));
        if (!receiver.TryGetArray(out var array))
            throw ev.Error(call, $"includes() can only be called on strings or arrays, got {receiver.GoTypeName}");
        string? needleText = null;
        foreach (var element in array)
        {
            if (element.Equals(needle)) return Value.True;
            needleText ??= Compatibility.GoValueText.ToGoString(needle);
            if (Compatibility.GoValueText.ToGoString(element) == needleText) return Value.True;
        }
        return Value.False;
    }

    private static Value Replace(ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> args)
    {
        var text = RequireString(ref ev, call, receiver);
        var old = Compatibility.GoValueText.ToGoString(args[0]);
        var replacement = Compatibility.GoValueText.ToGoString(args[1]);
        string result;
        if (old.Length > 0)
        {
            result = text.Replace(old, replacement, StringComparison.Ordinal);
        }
        else
        {
            // Go's ReplaceAll with an empty pattern puts the replacement around every character.
            var sb = new StringBuilder(replacement);
            foreach (var rune in text.EnumerateRunes()) sb.Append(rune.ToString()).Append(replacement);
            result = sb.ToString();
        }
        Limits.CheckString(ref ev, result);
        return Value.From(result);
    }

    private static Value Split(ref Evaluator ev, MethodNode call, Value receiver, ReadOnlySpan<Value> args)
    {
        var text = RequireString(ref ev, call, receiver);
        var separator = Compatibility.GoValueText.ToGoString(args[0]);
        Value[] parts;
        if (separator.Length == 0)
        {
            // An empty separator splits into characters.
            var runes = new List<Value>();
            foreach (var rune in text.EnumerateRunes())
            {
                runes.Add(Value.From(rune.ToString()));
                Limits.CheckArray(ref ev, runes.Count);
            }
            parts = [.. runes];
        }
        else
        {
            var pieces = text.Split(separator);
            Limits.CheckArray(ref ev, pieces.Length);
            parts = new Value[pieces.Length];
            for (var i = 0; i < pieces.Length; i++) parts[i] = Value.From(pieces[i]);
        }
        return Value.From(new ValueArray(parts));
    }
}
