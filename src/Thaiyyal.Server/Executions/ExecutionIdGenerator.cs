namespace Thaiyyal.Server.Executions;

/// <summary>
/// The server's execution ids: 16 lowercase hex digits like the engine's, but ordered by time. A random id puts every
/// stored run on a random page of the executions table's id index, and writing that page costs more than the run's
/// row (docs/performance.md); an id that grows lands at the index's end. The 64 bits are, from the top: 41 bits of
/// milliseconds since 2025-01-01 (enough until 2094), 11 bits of this server's slot in the store (claimed at
/// start-up and kept by <see cref="IdGeneratorSlot"/>, so no two running servers sharing a store have the same)
/// and 12 bits counting ids within a millisecond. While its slot stays the same, the ids of one generator only
/// grow: when 4,096 ids are taken in one millisecond, or the clock steps back, it counts on from its last id. A slot
/// changes hands only after its holder has not renewed it for <see cref="IdGeneratorSlot.StaleAfter"/>, so the new
/// holder's ids are later than the old holder's.
/// </summary>
public sealed class ExecutionIdGenerator
{
    private const int SequenceBits = 12;
    private const int GeneratorBits = 11;
    private const long SequenceMask = (1L << SequenceBits) - 1;
    private static readonly long EpochMilliseconds = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>Slots a store has: the values of the 11 bits.</summary>
    public const int Slots = 1 << GeneratorBits;

    private long _generator;
    private readonly TimeProvider _time;

    /// <summary>The last id's time and count: milliseconds since the epoch shifted left by <see cref="SequenceBits"/>, plus the count.</summary>
    private long _last = long.MinValue;

    public ExecutionIdGenerator(int slot, TimeProvider time, string claim = "")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Slots);
        _generator = slot;
        _time = time;
        Claim = claim;
    }

    /// <summary>The slot whose number goes into the ids.</summary>
    public int Slot => (int)Volatile.Read(ref _generator);

    /// <summary>What identifies this server as the slot's holder in the store.</summary>
    public string Claim { get; }

    /// <summary>Goes on with another slot (the store gave this server's slot to another after it was not renewed).</summary>
    public void MoveTo(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Slots);
        Volatile.Write(ref _generator, slot);
    }

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
        var id = ((ulong)(next >> SequenceBits) << (GeneratorBits + SequenceBits)) | ((ulong)Volatile.Read(ref _generator) << SequenceBits)
                 | ((ulong)next & SequenceMask);
        return id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
