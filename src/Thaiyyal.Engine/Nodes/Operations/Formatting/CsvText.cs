using System.Globalization;
using System.Text;

namespace Thaiyyal.Engine.Nodes.Operations.Formatting;

/// <summary>
/// CSV text as the original's <c>encoding/csv</c> writer produced it: <c>\n</c> line ends, a final newline,
/// and a field quoted when it holds the separator, a quote, CR or LF, starts with white space, or is <c>\.</c>.
/// </summary>
internal static class CsvText
{
    /// <summary>Whether Go's writer accepts <paramref name="separator"/>.</summary>
    public static bool IsValidSeparator(char separator) =>
        separator is not ('\0' or '"' or '\r' or '\n' or '\uFFFD') && !char.IsSurrogate(separator);

    public static void AppendRecord(StringBuilder sb, IReadOnlyList<string> fields, char separator)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) sb.Append(separator);
            var field = fields[i];
            if (NeedsQuotes(field, separator)) sb.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else sb.Append(field);
        }
        sb.Append('\n');
    }

    private static bool NeedsQuotes(string field, char separator)
    {
        if (field.Length == 0) return false;
        if (field == "\\.") return true;
        if (field.Contains(separator, StringComparison.Ordinal) || field.AsSpan().IndexOfAny('"', '\r', '\n') >= 0) return true;
        return Rune.TryGetRuneAt(field, 0, out var first) && Rune.IsWhiteSpace(first);
    }

    /// <summary>
    /// A cell's text: strings as they are, whole numbers as integer digits, other numbers as generic text,
    /// booleans, empty for null, and containers as compact JSON.
    /// </summary>
    public static string Cell(Value value) => value.Kind switch
    {
        ValueKind.Null => "",
        ValueKind.String => value.AsString(),
        ValueKind.Bool => value.AsBool() ? "true" : "false",
        ValueKind.Number or ValueKind.Integer => NumberCell(value.AsNumber()),
        ValueKind.Array or ValueKind.Object => Compatibility.GoJsonText.SerializeOrGeneric(value),
        _ => Compatibility.GoValueText.ToGoString(value),
    };

    // Go converted through int64, so only whole numbers inside its range print as plain digits.
    private static string NumberCell(double n) =>
        n == Math.Floor(n) && Math.Abs(n) < 9.2e18
            ? ((long)n).ToString(CultureInfo.InvariantCulture)
            : Compatibility.GoFloatText.ToGo(n);
}
