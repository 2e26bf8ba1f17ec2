using System.Globalization;

namespace Thaiyyal.Server.Hosting;

/// <summary>Timestamps as Go's <c>time.Time</c> marshals them: RFC 3339, nanosecond fraction with trailing zeros trimmed, local offset.</summary>
public static class GoTime
{
    public static string Format(DateTimeOffset time)
    {
        var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return time.Offset == TimeSpan.Zero ? text + "Z" : text + time.ToString("zzz", CultureInfo.InvariantCulture);
    }
}
