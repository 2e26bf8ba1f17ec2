using System.Text;

namespace Thaiyyal.Engine.Compatibility;

/// <summary>A value that JSON cannot represent (NaN, infinities): Go's <c>json: unsupported value: NaN</c>.</summary>
internal sealed class UnsupportedJsonValueException(string text) : Exception($"json: unsupported value: {text}");

/// <summary>
/// JSON text exactly as the original's <c>encoding/json</c> wrote it (workflow-format.md §13.1): sorted keys,
/// Go number texts, and HTML-safe strings (<c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> as <c>\u003c</c>, <c>\u003e</c>,
/// <c>\u0026</c>; U+2028/U+2029 escaped; lone surrogates as U+FFFD); non-ASCII text is written as is.
/// </summary>
internal static class GoJsonText
{
    private const string Hex = "0123456789abcdef";

    /// <summary>Compact (<c>json.Marshal</c>) or two-space indented (<c>json.MarshalIndent(v, "", "  ")</c>) text.</summary>
    /// <exception cref="UnsupportedJsonValueException">The value holds NaN or an infinity.</exception>
    public static string Serialize(Value value, bool indented = false)
    {
        var sb = new StringBuilder();
        Write(sb, value, indented ? 0 : -1);
        return sb.ToString();
    }

    /// <summary>JSON text, or the generic text when the value cannot be JSON.</summary>
    public static string SerializeOrGeneric(Value value)
    {
        try
        {
            return Serialize(value);
        }
        catch (UnsupportedJsonValueException)
        {
            return GoValueText.ToGoString(value);
        }
    }

    // level: indentation level, or -1 for compact output.
    private static void Write(StringBuilder sb, Value value, int level)
    {
        switch (value.Kind)
        {
            case ValueKind.Null: sb.Append("null"); break;
            case ValueKind.Bool: sb.Append(value.AsBool() ? "true" : "false"); break;
            case ValueKind.Number:
            case ValueKind.Integer:
                var n = value.AsNumber();
                if (!double.IsFinite(n)) throw new UnsupportedJsonValueException(GoFloatText.ToGo(n));
                sb.Append(GoFloatText.ToJson(n));
                break;
            case ValueKind.String: WriteString(sb, value.AsString()); break;
            case ValueKind.Timestamp: WriteString(sb, ValueJson.FormatTimestamp(value.AsTimestamp())); break;
            case ValueKind.Array:
                var array = value.AsArray();
                if (array.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, Deeper(level));
                    Write(sb, array[i], Deeper(level));
                }
                NewLine(sb, level);
                sb.Append(']');
                break;
            case ValueKind.Object:
                var obj = value.AsObject();
                if (obj.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }
                sb.Append('{');
                var keys = obj.SortedKeys;
                for (var i = 0; i < keys.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, Deeper(level));
                    WriteString(sb, keys[i]);
                    sb.Append(level < 0 ? ":" : ": ");
                    Write(sb, obj[keys[i]], Deeper(level));
                }
                NewLine(sb, level);
                sb.Append('}');
                break;
        }
    }

    private static int Deeper(int level) => level < 0 ? -1 : level + 1;

    private static void NewLine(StringBuilder sb, int level)
    {
        if (level < 0) return;
        sb.Append('\n').Append(' ', level * 2);
    }

    /// <summary>A quoted string with Go's HTML-safe escaping.</summary>
    public static void WriteString(StringBuilder sb, string text)
    {
        sb.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    AppendUnicodeEscape(sb, c);
                    continue;
            }
            if (c < 0x20)
            {
                AppendUnicodeEscape(sb, c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                sb.Append("\\ufffd");
            }
            else
            {
                sb.Append(c);
            }
        }
        sb.Append('"');
    }

    private static void AppendUnicodeEscape(StringBuilder sb, char c) =>
        sb.Append("\\u").Append(Hex[c >> 12]).Append(Hex[(c >> 8) & 0xF]).Append(Hex[(c >> 4) & 0xF]).Append(Hex[c & 0xF]);
}
