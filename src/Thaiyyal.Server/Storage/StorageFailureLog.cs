namespace Thaiyyal.Server.Storage;

/// <summary>
/// Decides which failed store operations are logged: the first failure of an operation, then at most one an interval
/// (<see cref="Interval"/> unless given another) for that operation, with how many went unlogged since. While the store
/// is down every request that needs it, the history writer and the checkpoints (four a second) fail; a record for each
/// would flood the log, and on a full disk the log may be on the same disk. <c>storage_errors_total</c> still counts every failure.
/// </summary>
public sealed class StorageFailureLog(TimeProvider time, TimeSpan interval)
{
    /// <summary>The least time between two records of one operation, unless the constructor is given another.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public StorageFailureLog(TimeProvider time) : this(time, Interval)
    {
    }

    private readonly Dictionary<string, (DateTimeOffset LoggedAt, long Unlogged)> _operations = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();

    /// <summary>True when this failure of <paramref name="operation"/> is to be logged; <paramref name="unlogged"/> says how many of its failures were not since the last one logged.</summary>
    public bool ShouldLog(string operation, out long unlogged)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_operations.TryGetValue(operation, out var last) && now - last.LoggedAt < interval)
            {
                _operations[operation] = last with { Unlogged = last.Unlogged + 1 };
                unlogged = 0;
                return false;
            }
            unlogged = last.Unlogged;
            _operations[operation] = (now, 0);
            return true;
        }
    }
}
