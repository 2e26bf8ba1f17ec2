using System.Globalization;

namespace Thaiyyal.Engine.Compatibility;

/// <summary>
/// Which texts count as numbers (expressions.md §2, §5.4): what Go's <c>strconv.ParseFloat</c> accepts — optional
/// sign, digits with optional fraction and exponent (<c>1e3</c>, <c>-2.5E-1</c>, <c>.5</c>, <c>5.</c>), the words
/// <c>Inf</c>, <c>Infinity</c>, <c>NaN</c> in any case, and hexadecimal floats with a binary exponent (<c>0x1p-2</c>).
/// No surrounding whitespace; out-of-range values (<c>1e400</c>) are not numbers.
/// </summary>
internal static class GoFloatParser
{
    public static bool TryParse(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        if (s.IsEmpty) return false;
        var body = s;
        var negative = false;
        if (body[0] is '+' or '-')
        {
            negative = body[0] == '-';
            body = body[1..];
            if (body.IsEmpty) return false;
        }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            if (s.Length != body.Length) return false;
            value = double.NaN;
            return true;
        }
        if (body.Length > 2 && body[0] == '0' && body[1] is 'x' or 'X')
        {
            if (!TryParseHex(body[2..], out value)) return false;
            if (negative) value = -value;
            return true;
        }
        if (!IsDecimal(body)) return false;
        value = double.Parse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        return double.IsFinite(value);
    }

    /// <summary>digits [. digits] [e [sign] digits], with at least one mantissa digit.</summary>
    private static bool IsDecimal(ReadOnlySpan<char> s)
    {
        var i = 0;
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            var expDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; expDigits++; }
            if (expDigits == 0) return false;
        }
        return i == s.Length;
    }

    /// <summary>Hex mantissa (with optional fraction) and a required binary exponent: <c>1p-2</c>, <c>1.8p1</c>.</summary>
    private static bool TryParseHex(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        var i = 0;
        double mantissa = 0;
        var digits = 0;
        var fractionDigits = 0;
        var seenDot = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '.')
            {
                if (seenDot) return false;
                seenDot = true;
                continue;
            }
            if (!char.IsAsciiHexDigit(c)) break;
            mantissa = (mantissa * 16) + HexValue(c);
            digits++;
            if (seenDot) fractionDigits++;
        }
        if (digits == 0 || i >= s.Length || s[i] is not ('p' or 'P')) return false;
        i++;
        var expNegative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            expNegative = s[i] == '-';
            i++;
        }
        var exponent = 0;
        var expDigits = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            exponent = Math.Min((exponent * 10) + (s[i] - '0'), 100_000);
            expDigits++;
        }
        if (expDigits == 0 || i != s.Length) return false;
        var binaryExponent = (expNegative ? -exponent : exponent) - (4 * fractionDigits);
        value = mantissa * Math.Pow(2, binaryExponent);
        return double.IsFinite(value);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
