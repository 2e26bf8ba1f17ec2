namespace Thaiyyal.Server.Executions;

/// <summary>
/// How a record the store refused is tried again, by the history writer (<see cref="HistoryWriter"/>) and by an
/// asynchronous run storing its final state (<see cref="AsyncRunExecutor"/>): after <see cref="FirstWait"/>, then
/// waits that double up to <see cref="LastWait"/>, for as long as the store is unavailable. From attempt
/// <see cref="AskStoreFrom"/> on, a record still refused while the store passes its health check is refused for itself,
/// and is given up instead of holding up what comes after it.
/// </summary>
public static class StoreRetry
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan LastWait = TimeSpan.FromSeconds(5);

    /// <summary>The attempt from which a refusal is checked against the store's health.</summary>
    public const int AskStoreFrom = 4;

    /// <summary>The wait after <paramref name="wait"/>: twice as long, at most <see cref="LastWait"/>.</summary>
    public static TimeSpan After(TimeSpan wait) => TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LastWait.Ticks));

    /// <summary>True when the store is healthy: a record it still refuses is refused for itself.</summary>
    public static async Task<bool> RefusedForItselfAsync(IThaiyyalStore store) =>
        (await store.CheckHealthAsync(CancellationToken.None)).Healthy;
}
