using System.Net;
using Thaiyyal.Server.Tests.Support;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Storage;
using static Thaiyyal.Server.Tests.Support.ExecutionClient;

namespace Thaiyyal.Server.Tests.Executions;

public sealed class HistoryRecordingTests
{
    private static readonly string[] Open = ["-rate-limit", "0", "-read-rate-limit", "0"];

    private static async Task<string> RunSyncAsync(RunningServer server, string payload)
    {
        var (_, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", payload);
        return body!["results"]!["execution_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_synchronous_route_answers_before_its_record_is_written()
    {
        var store = new GatedStore(await TestStores.Open());
        await using var server = await RunningServer.StartWithStoreAsync(store, null, Open);
        store.Close();
        var (status, body) = await server.PostJsonForBodyAsync("/api/v1/workflow/execute", Payloads.Addition);
        Assert.Equal(HttpStatusCode.OK, status);
        var id = body!["results"]!["execution_id"]!.GetValue<string>();
        await store.SaveWaiting;   // the writer holds the record, the response is already here
        Assert.Null(await store.Executions.GetAsync(id, CancellationToken.None));
        store.Open();
        Assert.Equal("succeeded", (await WaitForFinishAsync(server, id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task History_failures_records_only_failed_runs()
    {
        var store = await TestStores.Open();
        string ok, failed;
        await using (var server = await RunningServer.StartWithStoreAsync(store, null, [.. Open, "-history", "failures"]))
        {
            ok = await RunSyncAsync(server, Payloads.Addition);
            failed = await RunSyncAsync(server, Payloads.DivideByZero);
        }
        // Stopping drained the writer: whatever was queued is stored now.
        Assert.Null(await store.Executions.GetAsync(ok, CancellationToken.None));
        Assert.Equal(ExecutionStatus.Failed, (await store.Executions.GetAsync(failed, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task History_off_records_no_synchronous_run_but_async_runs_are_still_kept()
    {
        var store = await TestStores.Open();
        string sync, async;
        await using (var server = await RunningServer.StartWithStoreAsync(store, null, [.. Open, "-history", "off"]))
        {
            sync = await RunSyncAsync(server, Payloads.DivideByZero);
            async = await SubmitAsync(server, Payloads.Addition);
            await WaitForFinishAsync(server, async);
        }
        Assert.Null(await store.Executions.GetAsync(sync, CancellationToken.None));
        Assert.Equal(ExecutionStatus.Succeeded, (await store.Executions.GetAsync(async, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task The_history_setting_is_checked()
    {
        var loaded = Thaiyyal.Server.Configuration.ServerSettingsLoader.Load(["-history", "some"], new Dictionary<string, string>());
        Assert.Equal("invalid value \"some\" for -history (from the command line): must be all, failures or off", loaded.Error);
        var fromEnvironment = Thaiyyal.Server.Configuration.ServerSettingsLoader.Load([], new Dictionary<string, string> { ["HISTORY"] = "failures", ["WORKERS"] = "3" });
        Assert.Equal(Thaiyyal.Server.Configuration.HistoryMode.Failures, fromEnvironment.Settings!.Executions.History);
        Assert.Equal(3, fromEnvironment.Settings.Executions.Workers);
    }
}
