using System.Globalization;
using System.Text;

namespace Thaiyyal.Engine.Compatibility;

/// <summary>
/// Number texts the original engine produced: JSON numbers (Go <c>encoding/json</c>) and the
/// generic <c>%v</c> text (Go <c>strconv 'g'</c> with shortest digits). workflow-format.md §13.1–13.2.
/// </summary>
internal static class GoFloatText
{
    /// <summary>JSON text: plain decimal, exponent form only below 1e-6 or from 1e21.</summary>
    public static string ToJson(double x)
    {
        if (x == 0) return "0";
        if (double.IsNaN(x) || double.IsInfinity(x)) return ToGo(x);
        if (x == Math.Floor(x) && Math.Abs(x) < 1e15) return ((long)x).ToString(CultureInfo.InvariantCulture);
        var abs = Math.Abs(x);
        Decompose(x, out var negative, out var digits, out var exponent);
        if (abs < 1e-6 || abs >= 1e21) return Scientific(negative, digits, exponent, minExponentDigits: 1);
        return Plain(negative, digits, exponent);
    }

    /// <summary>Go <c>%v</c> text: scientific when the decimal exponent is below -4 or at least 6 (§13.2).</summary>
    public static string ToGo(double x)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsPositiveInfinity(x)) return "+Inf";
        if (double.IsNegativeInfinity(x)) return "-Inf";
        if (x == 0) return double.IsNegative(x) ? "-0" : "0";
        Decompose(x, out var negative, out var digits, out var exponent);
        if (exponent < -4 || exponent >= 6) return Scientific(negative, digits, exponent, minExponentDigits: 2);
        return Plain(negative, digits, exponent);
    }

    /// <summary>Shortest round-trip digits (no dot, no leading zeros) and the decimal exponent of the first digit.</summary>
    private static void Decompose(double x, out bool negative, out string digits, out int exponent)
    {
        // "E16" is not shortest; "R" is shortest but switches format by magnitude, so normalise it.
        var r = x.ToString("R", CultureInfo.InvariantCulture);
        negative = r[0] == '-';
        if (negative) r = r[1..];
        var ePos = r.IndexOfAny(['E', 'e']);
        var exp = 0;
        if (ePos >= 0)
        {
            exp = int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }
        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? r[..dot] : r;
        var fracPart = dot >= 0 ? r[(dot + 1)..] : string.Empty;
        var all = intPart + fracPart;
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0') leading++;
        var trimmed = all[leading..].TrimEnd('0');
        if (trimmed.Length == 0) trimmed = "0";
        digits = trimmed;
        exponent = intPart.Length - 1 - leading + exp;
    }

    private static string Scientific(bool negative, string digits, int exponent, int minExponentDigits)
    {
        var sb = new StringBuilder(digits.Length + 8);
        if (negative) sb.Append('-');
        sb.Append(digits[0]);
        if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
        sb.Append('e').Append(exponent < 0 ? '-' : '+');
        var expText = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        if (expText.Length < minExponentDigits) sb.Append('0', minExponentDigits - expText.Length);
        sb.Append(expText);
        return sb.ToString();
    }

    private static string Plain(bool negative, string digits, int exponent)
    {
        var sb = new StringBuilder(digits.Length + Math.Abs(exponent) + 3);
        if (negative) sb.Append('-');
        if (exponent < 0)
        {
            sb.Append("0.").Append('0', -exponent - 1).Append(digits);
        }
        else if (exponent + 1 >= digits.Length)
        {
            sb.Append(digits).Append('0', exponent + 1 - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, exponent + 1).Append('.').Append(digits, exponent + 1, digits.Length - exponent - 1);
        }
        return sb.ToString();
    }
}
