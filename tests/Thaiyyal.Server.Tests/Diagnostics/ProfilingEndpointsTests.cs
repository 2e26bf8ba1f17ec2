using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Diagnostics;

public sealed class ProfilingEndpointsTests
{
    [Fact]
    public async Task Profiling_is_served_only_on_the_admin_listener()
    {
        await using var server = await RunningServer.StartAsync("-profiling", "-admin-addr", "127.0.0.1:0");
        Assert.NotNull(server.AdminAddress);
        Assert.NotEqual(server.BaseAddress.Port, server.AdminAddress!.Port);
        using var admin = new HttpClient { BaseAddress = server.AdminAddress, Timeout = TimeSpan.FromSeconds(60) };

        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/debug/pprof/counters")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/nodes")).StatusCode);

        var counters = JsonNode.Parse(await admin.GetStringAsync("/debug/pprof/counters"))!;
        Assert.True(counters["gc"]!["total_allocated_bytes"]!.GetValue<long>() > 0);
        Assert.True(counters["thread_pool"]!["threads"]!.GetValue<int>() > 0);
        Assert.True(counters["process"]!["working_set_bytes"]!.GetValue<long>() > 0);

        var heap = JsonNode.Parse(await admin.GetStringAsync("/debug/pprof/heap?gc=1"))!;
        Assert.True(heap["heap_size_bytes"]!.GetValue<long>() > 0);
        Assert.NotNull(heap["generations"]!["gen2"]);

        var index = JsonNode.Parse(await admin.GetStringAsync("/debug/pprof/"))!;
        Assert.NotNull(index["profiles"]!["profile"]);
    }

    [Fact]
    public async Task Cpu_profile_thread_stacks_and_dumps_come_from_the_process_itself()
    {
        await using var server = await RunningServer.StartAsync("-profiling", "-admin-addr", "127.0.0.1:0");
        using var admin = new HttpClient { BaseAddress = server.AdminAddress, Timeout = TimeSpan.FromSeconds(120) };

        using var trace = await admin.GetAsync("/debug/pprof/profile?seconds=1");
        Assert.Equal(HttpStatusCode.OK, trace.StatusCode);
        var bytes = await trace.Content.ReadAsByteArrayAsync();
        Assert.Equal("Nettrace", Encoding.ASCII.GetString(bytes, 0, 8));
        Assert.True(bytes.Length > 1000);

        var stacks = await admin.GetStringAsync("/debug/pprof/goroutine");
        Assert.Matches(@"(?m)^thread \d+ \(os 0x[0-9a-f]+\)", stacks);
        Assert.Contains("System.Threading", stacks, StringComparison.Ordinal);

        using var dump = await admin.GetAsync("/debug/pprof/heapdump?type=mini");
        Assert.Equal(HttpStatusCode.OK, dump.StatusCode);
        Assert.True((await dump.Content.ReadAsByteArrayAsync()).Length > 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/debug/pprof/heapdump?type=everything")).StatusCode);
    }

    [Fact]
    public async Task Production_and_strict_have_no_admin_listener_unless_profiling_is_enabled()
    {
        await using (var production = await RunningServer.StartAsync("-admin-addr", "127.0.0.1:0"))
            Assert.Null(production.AdminAddress);
        await using (var strict = await RunningServer.StartAsync("-profile", "strict", "-admin-addr", "127.0.0.1:0"))
            Assert.Null(strict.AdminAddress);
        await using (var development = await RunningServer.StartAsync("-profile", "development", "-admin-addr", "127.0.0.1:0"))
            Assert.NotNull(development.AdminAddress);
        await using var removed = await RunningServer.StartAsync("-profile", "development", "-profiling=false", "-admin-addr", "127.0.0.1:0");
        Assert.Null(removed.AdminAddress);
    }
}
