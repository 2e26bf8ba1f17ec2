namespace Thaiyyal.Server.Executions;

/// <summary>
/// The server's execution ids: 16 lowercase hex digits like the engine's, but ordered by time. A random id puts every
/// stored run on a random page of the executions table's id index, and writing that page costs more than the run's
/// row (docs/performance.md); an id that grows lands at the index's end. The 64 bits are, from the top: 41 bits of
/// milliseconds since 2025-01-01 (enough until 2094), 11 bits of this generator's number (registered in the store
/// at start-up, so replicas sharing a store differ) and 12 bits counting ids within a millisecond. The ids of one
/// generator only grow: when 4,096 ids are taken in one millisecond, or the clock steps back, it counts on from
/// its last id. Ids of two generators can be equal only when their numbers are 2,048 registrations apart and both
/// run at once.
/// </summary>
public sealed class ExecutionIdGenerator
{
    private const int SequenceBits = 12;
    private const int GeneratorBits = 11;
    private const long GeneratorMask = (1L << GeneratorBits) - 1;
    private const long SequenceMask = (1L << SequenceBits) - 1;
    private static readonly long EpochMilliseconds = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly long _generator;
    private readonly TimeProvider _time;

    /// <summary>The last id's time and count: milliseconds since the epoch shifted left by <see cref="SequenceBits"/>, plus the count.</summary>
    private long _last = long.MinValue;

    public ExecutionIdGenerator(long number, TimeProvider time)
    {
        _generator = number & GeneratorMask;
        _time = time;
    }

    /// <summary>This generator's number within the id (the registered number modulo 2,048).</summary>
    public long Number => _generator;

    public string Next()
    {
        var now = Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds() - EpochMilliseconds) << SequenceBits;
        long last, next;
        do
        {
            last = Volatile.Read(ref _last);
            next = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref _last, next, last) != last);
        var id = ((ulong)(next >> SequenceBits) << (GeneratorBits + SequenceBits)) | ((ulong)_generator << SequenceBits) | ((ulong)next & SequenceMask);
        return id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
