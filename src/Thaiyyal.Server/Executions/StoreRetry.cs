namespace Thaiyyal.Server.Executions;

/// <summary>
/// How a record the store refused is tried again, by the history writer (<see cref="HistoryWriter"/>) and by an
/// asynchronous run storing its final state (<see cref="AsyncRunExecutor"/>): after <see cref="FirstWait"/>, then
/// waits that double up to <see cref="LastWait"/>, for as long as the store is unavailable. A record the database
/// refuses for its data (<see cref="StorageFault.DataRefused"/>) is refused for itself and given up instead of holding
/// up what comes after it; one refused because the database or its disk failed (<see cref="StorageFault.Unavailable"/>:
/// a full disk, a lost connection) never is, since it is stored once that is mended. When the database's answer says
/// neither, a record still refused from attempt <see cref="AskStoreFrom"/> on is refused for itself if other records
/// were stored meanwhile or the store passes its health check.
/// </summary>
public static class StoreRetry
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan LastWait = TimeSpan.FromSeconds(5);

    /// <summary>The attempt from which a refusal is checked against the store's health.</summary>
    public const int AskStoreFrom = 4;

    /// <summary>The wait after <paramref name="wait"/>: twice as long, at most <see cref="LastWait"/>.</summary>
    public static TimeSpan After(TimeSpan wait) => TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LastWait.Ticks));

    /// <summary>
    /// Whether <paramref name="refusal"/> of a record is the record's own, from the database's answer: true when it refused
    /// the data, false when the database or its disk failed, null when the answer says neither (the caller then asks
    /// whether other records were stored, or <see cref="StoreHealthyAsync"/>).
    /// </summary>
    public static bool? RefusedForItself(StorageException refusal) => refusal.Fault switch
    {
        StorageFault.DataRefused => true,
        StorageFault.Unavailable => false,
        _ => null,
    };

    /// <summary>True when the store passes its health check: a record it still refuses for no stated reason is refused for itself.</summary>
    public static async Task<bool> StoreHealthyAsync(IThaiyyalStore store) => (await store.CheckHealthAsync(CancellationToken.None)).Healthy;
}
