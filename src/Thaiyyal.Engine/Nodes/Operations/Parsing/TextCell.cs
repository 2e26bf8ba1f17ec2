namespace Thaiyyal.Engine.Nodes.Operations.Parsing;

/// <summary>The original's typing of a text cell (CSV/TSV fields, YAML and XML scalars).</summary>
internal static class TextCell
{
    /// <summary>Trimmed; <c>""</c>, <c>true</c>/<c>false</c>, <c>null</c>, a finite number, or else the trimmed text.</summary>
    public static Value Typed(string raw)
    {
        var text = raw.Trim();
        switch (text)
        {
            case "": return Value.EmptyString;
            case "true": return Value.True;
            case "false": return Value.False;
            case "null": return Value.Null;
        }
        // NaN and infinities parse in Go but cannot be serialised; they stay text here.
        return Compatibility.GoStrconv.TryParseFiniteFloat(text, out var number) ? Value.From(number) : Value.From(text);
    }

    /// <summary>The nesting limit for parsed documents; a disabled limit still keeps recursion bounded.</summary>
    public static int MaxDepth(int configured) => configured > 0 ? configured : 1000;
}
