namespace Thaiyyal.Server.Hosting;

/// <summary>
/// Runs a background service's loop on a thread of its own instead of the thread pool's. The store's work blocks the
/// thread that does it (SQLite's "async" calls complete synchronously): a retention round that removed a few hundred
/// thousand runs held a pool thread for seconds, and on a small machine requests waited for the pool to grow
/// (docs/performance.md, "pauses of one to three seconds while retention ran"). The history writer, the checkpoints
/// and retention run this way.
/// </summary>
public static class OwnThread
{
    /// <summary>Starts <paramref name="loop"/> on a new thread; the task ends when it returns.</summary>
    public static Task Run(Action loop) =>
        Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
