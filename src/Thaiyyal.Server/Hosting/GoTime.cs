using System.Globalization;

namespace Thaiyyal.Server.Hosting;

/// <summary>Timestamps as Go's <c>time.Time</c> marshals them: RFC 3339, nanosecond fraction with trailing zeros trimmed, local offset.</summary>
public static class GoTime
{
    /// <summary>The longest text <see cref="Format(DateTimeOffset, Span{char})"/> writes.</summary>
    public const int MaxLength = 33;

    // The round-trip form "O" writes yyyy-MM-ddTHH:mm:ss.fffffff, then Z (a UTC DateTime) or ±hh:mm: the fraction
    // always ends at this index.
    private const int FractionEnd = 27;

    public static string Format(DateTimeOffset time)
    {
        Span<char> text = stackalloc char[MaxLength];
        return new string(text[..Format(time, text)]);
    }

    /// <summary>Writes <paramref name="time"/> as <see cref="Format(DateTimeOffset)"/> returns it; the length written.</summary>
    public static int Format(DateTimeOffset time, Span<char> destination)
    {
        int length;
        var written = time.Offset == TimeSpan.Zero
            ? time.UtcDateTime.TryFormat(destination, out length, "O", CultureInfo.InvariantCulture)
            : time.TryFormat(destination, out length, "O", CultureInfo.InvariantCulture);
        if (!written) throw new ArgumentException($"at least {MaxLength} characters are needed", nameof(destination));
        var end = FractionEnd;
        while (destination[end - 1] == '0') end--;
        if (destination[end - 1] == '.') end--;
        destination[FractionEnd..length].CopyTo(destination[end..]);
        return end + length - FractionEnd;
    }
}
