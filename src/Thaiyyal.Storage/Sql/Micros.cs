namespace Thaiyyal.Storage.Sql;

/// <summary>Times are stored as microseconds since the Unix epoch, UTC: one integer type that sorts in both databases.</summary>
internal static class Micros
{
    public static long From(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static long? From(DateTimeOffset? time) => time is { } t ? From(t) : null;

    public static DateTimeOffset To(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + micros * 10, TimeSpan.Zero);

    public static DateTimeOffset? To(long? micros) => micros is { } m ? To(m) : null;
}
