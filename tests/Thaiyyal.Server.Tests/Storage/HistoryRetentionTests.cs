using Microsoft.Extensions.Logging.Abstractions;
using Thaiyyal.Server.Configuration;
using Thaiyyal.Server.Storage;
using Thaiyyal.Server.Tests.Support;

namespace Thaiyyal.Server.Tests.Storage;

public sealed class HistoryRetentionTests
{
    /// <summary>
    /// SQLite's calls block, and a round can take seconds: on a pool thread it starved the requests of a small machine
    /// (load.sh measured pauses of one to three seconds while a round ran).
    /// </summary>
    [Fact]
    public async Task Rounds_run_on_a_thread_of_their_own_not_the_pool()
    {
        await using var store = new GatedStore(await TestStores.Open());
        var retention = new HistoryRetention(store, new ServerSettings(), TimeProvider.System, NullLogger<HistoryRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);
        try
        {
            Assert.False(await store.FirstPruneOnPoolThread.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await retention.StopAsync(CancellationToken.None);
        }
    }
}
