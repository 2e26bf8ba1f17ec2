using System.Globalization;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Executions;

[Collection(ProcessWideMetrics.Name)]
public sealed class ExecutionMetricsTests
{
    [Fact]
    public async Task The_execution_metrics_are_exported_from_the_first_scrape()
    {
        await using var server = await RunningServer.StartAsync("-rate-limit", "0");
        var text = await server.Client.GetStringAsync("/metrics");
        Assert.Matches("(?m)^workflow_history_dropped_total(\\{[^}]*\\})? \\d", text);
        Assert.Matches("(?m)^workflow_runs_in_flight(\\{[^}]*\\})? 0", text);
        Assert.Matches("(?m)^workflow_queue_depth(\\{[^}]*\\})? 0", text);
        Assert.Matches("(?m)^workflow_runs_interrupted_total(\\{[^}]*\\})? \\d", text);
    }

    [Fact]
    public async Task Records_that_do_not_fit_the_history_queue_are_dropped_and_counted_without_blocking_runs()
    {
        var store = new GatedStore(await TestStores.Open());
        var ids = new List<string>();
        double dropped;
        await using (var server = await RunningServer.StartWithStoreAsync(store, null, "-rate-limit", "0", "-history-queue-length", "1"))
        {
            var before = Value(await server.Client.GetStringAsync("/metrics"), "workflow_history_dropped_total");
            store.Close();
            for (var i = 0; i < 5; i++)
            {
                var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Addition);
                Assert.Equal(System.Net.HttpStatusCode.OK, status);
                ids.Add(body!["results"]!["execution_id"]!.GetValue<string>());
            }
            dropped = Value(await server.Client.GetStringAsync("/metrics"), "workflow_history_dropped_total") - before;
            store.Open();
        }
        // At most one record in the queue, and one or two at the closed gate (the writer may read a second record into
        // the batch it is about to save before the gate stops it): the other two or more were dropped.
        Assert.InRange(dropped, 2, 4);
        var kept = 0;
        foreach (var id in ids) kept += await store.Executions.GetAsync(id, CancellationToken.None) is null ? 0 : 1;
        Assert.Equal(5 - dropped, kept);
    }

    private static double Value(string exposition, string family) =>
        exposition.Split('\n').Where(l => l.StartsWith(family, StringComparison.Ordinal) && (l.Length == family.Length || l[family.Length] is ' ' or '{'))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
