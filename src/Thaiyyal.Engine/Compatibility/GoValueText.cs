using System.Globalization;
using System.Text;

namespace Thaiyyal.Engine.Compatibility;

/// <summary>The original engine's generic stringification ("Go %v text", workflow-format.md §13.2).</summary>
internal static class GoValueText
{
    /// <summary>Text of any value: <c>&lt;nil&gt;</c>, <c>true</c>, <c>1e+06</c>, <c>[1 2]</c>, <c>map[a:1]</c>…</summary>
    public static string ToGoString(Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.String: return value.AsString();
            case ValueKind.Null: return "<nil>";
            case ValueKind.Bool: return value.AsBool() ? "true" : "false";
            case ValueKind.Number: return GoFloatText.ToGo(value.AsNumber());
            case ValueKind.Integer: return ((long)value.AsNumber()).ToString(CultureInfo.InvariantCulture);
            default:
                var sb = new StringBuilder();
                Append(sb, value);
                return sb.ToString();
        }
    }

    private static void Append(StringBuilder sb, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in value.AsArray())
                {
                    if (!first) sb.Append(' ');
                    first = false;
                    Append(sb, item);
                }
                sb.Append(']');
                break;
            case ValueKind.Object:
                var obj = value.AsObject();
                sb.Append("map[");
                for (var i = 0; i < obj.SortedKeys.Count; i++)
                {
                    if (i > 0) sb.Append(' ');
                    var key = obj.SortedKeys[i];
                    sb.Append(key).Append(':');
                    Append(sb, obj[key]);
                }
                sb.Append(']');
                break;
            case ValueKind.Timestamp:
                sb.Append(FormatGoTime(value.AsTimestamp()));
                break;
            default:
                sb.Append(ToGoString(value));
                break;
        }
    }

    /// <summary>Go's default time format, in UTC: <c>2024-01-15 10:30:00 +0000 UTC</c>.</summary>
    public static string FormatGoTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + " +0000 UTC";
    }
}
