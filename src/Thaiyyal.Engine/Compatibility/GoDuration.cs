using System.Globalization;
using System.Text;

namespace Thaiyyal.Engine.Compatibility;

/// <summary>Go-style duration texts (<c>300ms</c>, <c>1h2m3.5s</c>), parsed and printed (workflow-format.md §13.3).</summary>
internal static class GoDuration
{
    private const long NanosPerMicro = 1_000;
    private const long NanosPerMilli = 1_000_000;
    private const long NanosPerSecond = 1_000_000_000;
    private const long NanosPerMinute = 60 * NanosPerSecond;
    private const long NanosPerHour = 60 * NanosPerMinute;

    /// <summary>Formats a <see cref="TimeSpan"/> like Go's <c>time.Duration.String()</c>.</summary>
    public static string Format(TimeSpan duration) => FormatNanoseconds(duration.Ticks * 100);

    /// <summary>Formats a nanosecond count like Go's <c>time.Duration.String()</c>.</summary>
    public static string FormatNanoseconds(long nanoseconds)
    {
        if (nanoseconds == 0) return "0s";
        var sb = new StringBuilder(24);
        if (nanoseconds < 0) sb.Append('-');
        // Negating long.MinValue overflows; Go durations cannot reach it through our sources anyway.
        var u = nanoseconds == long.MinValue ? long.MaxValue : Math.Abs(nanoseconds);
        if (u < NanosPerSecond)
        {
            if (u < NanosPerMicro) return sb.Append(u).Append("ns").ToString();
            if (u < NanosPerMilli) return AppendFraction(sb, u, NanosPerMicro).Append("µs").ToString();
            return AppendFraction(sb, u, NanosPerMilli).Append("ms").ToString();
        }
        var hours = u / NanosPerHour;
        u -= hours * NanosPerHour;
        var minutes = u / NanosPerMinute;
        u -= minutes * NanosPerMinute;
        if (hours > 0) sb.Append(hours).Append('h');
        if (hours > 0 || minutes > 0) sb.Append(minutes).Append('m');
        return AppendFraction(sb, u, NanosPerSecond).Append('s').ToString();
    }

    private static StringBuilder AppendFraction(StringBuilder sb, long value, long unit)
    {
        sb.Append(value / unit);
        var rest = value % unit;
        if (rest == 0) return sb;
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        var frac = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return sb.Append('.').Append(frac);
    }

    /// <summary>
    /// Parses a configuration duration: Go syntax (<c>1h2m</c>, <c>1.5s</c>, <c>-1s</c>, <c>0</c>), or a bare
    /// integer taken as milliseconds. Returns false for anything else.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text is null) return false;
        if (TryParseGo(text, out var nanos))
        {
            duration = TimeSpan.FromTicks(nanos / 100);
            return true;
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis)
            && Math.Abs(millis) <= (long)TimeSpan.MaxValue.TotalMilliseconds)
        {
            duration = TimeSpan.FromMilliseconds(millis);
            return true;
        }
        return false;
    }

    /// <summary>Parses strict Go duration syntax only (no bare integers but <c>0</c>).</summary>
    public static bool TryParseStrict(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text is null || !TryParseGo(text, out var nanos)) return false;
        duration = TimeSpan.FromTicks(nanos / 100);
        return true;
    }

    /// <summary>The spec's message for an unparseable duration.</summary>
    public static string FormatError(string text) => $"invalid duration format: {text} (use formats like '5s', '10m', '1h')";

    private static bool TryParseGo(string s, out long nanoseconds)
    {
        nanoseconds = 0;
        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            negative = s[i] == '-';
            i++;
        }
        if (s.AsSpan(i).SequenceEqual("0")) return true;
        if (i >= s.Length) return false;
        decimal total = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            var intEnd = i;
            var fracStart = i;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                fracStart = i;
                while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            }
            if (intEnd == start && (fracStart == i)) return false;
            if (!decimal.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            long unit;
            switch (s.AsSpan(unitStart, i - unitStart))
            {
                case "ns": unit = 1; break;
                case "us" or "µs" or "μs": unit = NanosPerMicro; break;
                case "ms": unit = NanosPerMilli; break;
                case "s": unit = NanosPerSecond; break;
                case "m": unit = NanosPerMinute; break;
                case "h": unit = NanosPerHour; break;
                default: return false;
            }
            if (number > long.MaxValue / unit) return false;
            total += number * unit;
            if (total > long.MaxValue) return false;
        }
        nanoseconds = (long)decimal.Truncate(negative ? -total : total);
        return true;
    }
}
