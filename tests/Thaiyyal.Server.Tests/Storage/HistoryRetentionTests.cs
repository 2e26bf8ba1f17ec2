using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Thaiyyal.Server.Configuration;
using Thaiyyal.Server.Storage;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Storage;

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

    /// <summary>
    /// A round asked for while another runs (the loop's, and an operator's or a test's through RunOnceAsync) waits for it:
    /// two at once removed the same rows twice over and shared the log fields of a round.
    /// </summary>
    [Fact]
    public async Task A_round_asked_for_while_another_runs_waits_for_it()
    {
        await using var store = new GatedStore(await TestStores.Open());
        store.SlowPrunesBy(TimeSpan.FromMilliseconds(200));
        var retention = new HistoryRetention(store, new ServerSettings(), TimeProvider.System, NullLogger<HistoryRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(retention.RunOnceAsync(CancellationToken.None), retention.RunOnceAsync(CancellationToken.None),
                retention.RunOnceAsync(CancellationToken.None));
            Assert.Equal(1, store.MostPrunesAtOnce);
        }
        finally
        {
            await retention.StopAsync(CancellationToken.None);
            retention.Dispose();
        }
    }

    /// <summary>
    /// Under load rounds come once a second; each logged its removals, and a store that kept failing logged a warning
    /// per round. Now removals are summed into a record a minute, and a failing store is logged at once, then once a
    /// minute, then when a round works again.
    /// </summary>
    [Fact]
    public async Task Rounds_a_second_apart_log_their_removals_and_failures_once_a_minute()
    {
        await using var store = new GatedStore(await TestStores.Open());
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var log = new CapturedLog();
        using var loggers = new LoggerFactory([log]);
        var retention = new HistoryRetention(store, new ServerSettings { HistoryMaxExecutions = 1 }, time, loggers.CreateLogger<HistoryRetention>());
        var stored = 0;
        async Task<int> RoundAfterAsync(int runs, TimeSpan wait)
        {
            time.Advance(wait);
            for (var i = 0; i < runs; i++)
                await store.Executions.InsertAsync(new ExecutionRecord
                {
                    Id = $"run-{stored++:D4}", PayloadHash = new string('0', 64), Mode = "sync", Source = "api",
                    Status = ExecutionStatus.Succeeded, CreatedAt = time.GetUtcNow().AddMilliseconds(stored),
                }, CancellationToken.None);
            return await retention.RunOnceAsync(CancellationToken.None);
        }
        IEnumerable<string> Records() => log.Records.Select(r => $"{r.Level} {r.Message} " +
            string.Join(" ", r.Fields.Where(f => f.Key != "error").Select(f => $"{f.Key}={f.Value}")));

        Assert.Equal(2, await RoundAfterAsync(3, TimeSpan.Zero));
        Assert.Equal(["Information execution history pruned removed=2 rounds=1"], Records());
        for (var i = 0; i < 5; i++) Assert.Equal(2, await RoundAfterAsync(2, TimeSpan.FromSeconds(1)));
        Assert.Single(Records());
        Assert.Equal(2, await RoundAfterAsync(2, HistoryRetention.Interval));
        Assert.Equal("Information execution history pruned removed=12 rounds=6", Records().Last());

        store.Break("disk unplugged");
        Assert.Equal(0, await RoundAfterAsync(0, TimeSpan.FromSeconds(1)));
        Assert.Equal("Warning execution history not pruned: the store is unavailable rounds_failed=1", Records().Last());
        Assert.Contains("disk unplugged", (string)log.Records[^1].Fields["error"]!, StringComparison.Ordinal);
        for (var i = 0; i < 3; i++) await RoundAfterAsync(0, TimeSpan.FromSeconds(1));
        Assert.Equal(3, Records().Count());
        await RoundAfterAsync(0, HistoryRetention.Interval);
        Assert.Equal("Warning execution history not pruned: the store is unavailable rounds_failed=4", Records().Last());

        store.Mend();
        Assert.Equal(0, await RoundAfterAsync(0, TimeSpan.FromSeconds(1)));
        Assert.Equal("Information execution history pruned again rounds_failed=5", Records().Last());
        Assert.Equal(5, Records().Count());
    }
}
