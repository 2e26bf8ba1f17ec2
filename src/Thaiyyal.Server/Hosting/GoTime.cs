using System.Globalization;

namespace Thaiyyal.Server.Hosting;

/// <summary>Timestamps as Go's <c>time.Time</c> marshals them: RFC 3339, nanosecond fraction with trailing zeros trimmed, local offset.</summary>
public static class GoTime
{
    /// <summary>The longest text <see cref="Format(DateTimeOffset, Span{char})"/> writes.</summary>
    public const int MaxLength = ValueJson.MaxTimestampLength - 1 + 6;

    public static string Format(DateTimeOffset time)
    {
        Span<char> text = stackalloc char[MaxLength];
        return new string(text[..Format(time, text)]);
    }

    /// <summary>Writes <paramref name="time"/> as <see cref="Format(DateTimeOffset)"/> returns it; the length written.</summary>
    public static int Format(DateTimeOffset time, Span<char> destination)
    {
        if (time.Offset == TimeSpan.Zero) return ValueJson.FormatTimestamp(time, destination);
        // The local clock's reading written as a UTC time, then its offset instead of the Z.
        var length = ValueJson.FormatTimestamp(new DateTimeOffset(time.DateTime, TimeSpan.Zero), destination) - 1;
        if (!time.TryFormat(destination[length..], out var offset, "zzz", CultureInfo.InvariantCulture))
            throw new ArgumentException($"at least {MaxLength} characters are needed", nameof(destination));
        return length + offset;
    }
}
