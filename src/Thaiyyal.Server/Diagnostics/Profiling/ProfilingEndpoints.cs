using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Runtime;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace Thaiyyal.Server.Diagnostics.Profiling;

/// <summary>
/// .NET's answer to Go's <c>/debug/pprof/*</c>, served only on the admin listener (<c>-admin-addr</c>) and only
/// when profiling is on. The process profiles itself through its own diagnostics IPC channel (EventPipe, dumps).
/// <list type="bullet">
/// <item><c>/debug/pprof/profile?seconds=30</c>: CPU sampling trace (<c>.nettrace</c>; open with PerfView, Visual Studio or <c>dotnet-trace convert --format speedscope</c>)</item>
/// <item><c>/debug/pprof/heap</c>: GC heap statistics per generation (<c>?gc=1</c> collects first)</item>
/// <item><c>/debug/pprof/heapdump?type=heap</c>: a process dump (<c>mini</c>, <c>heap</c>, <c>triage</c>, <c>full</c>) for <c>dotnet-dump analyze</c></item>
/// <item><c>/debug/pprof/goroutine</c>: managed stacks of every thread, as text</item>
/// <item><c>/debug/pprof/counters</c>: runtime counters (GC, thread pool, JIT, locks, process)</item>
/// </list>
/// </summary>
public static class ProfilingEndpoints
{
    /// <summary>The keywords dotnet-trace's <c>cpu-sampling</c> profile enables on the runtime provider.</summary>
    private const long RuntimeDefaultKeywords = 0x14C14FCCBD;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IEndpointRouteBuilder MapProfilingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/debug/pprof");
        group.ExcludeFromDescription().DisableRateLimiting().DisableRequestTimeout();
        group.MapGet("/", Index);
        group.MapGet("/profile", CpuProfileAsync);
        group.MapGet("/heap", Heap);
        group.MapGet("/heapdump", HeapDumpAsync);
        group.MapGet("/goroutine", ThreadStacksAsync);
        group.MapGet("/threads", ThreadStacksAsync);
        group.MapGet("/counters", Counters);
        return app;
    }

    private static IResult Index() => Results.Json(new
    {
        profiles = new Dictionary<string, string>
        {
            ["profile"] = "CPU sampling trace for ?seconds=N (default 30, max 300), .nettrace",
            ["heap"] = "GC heap statistics; ?gc=1 forces a full collection first",
            ["heapdump"] = "process dump; ?type=mini|heap|triage|full (default heap)",
            ["goroutine"] = "managed stack of every thread (alias: threads)",
            ["counters"] = "runtime counters: GC, thread pool, JIT, locks, process",
        },
    }, Json);

    private static async Task CpuProfileAsync(HttpContext http, int? seconds)
    {
        var duration = TimeSpan.FromSeconds(Math.Clamp(seconds ?? 30, 1, 300));
        var client = new DiagnosticsClient(Environment.ProcessId);
        EventPipeProvider[] providers =
        [
            new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, RuntimeDefaultKeywords),
        ];
        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: true, circularBufferMB: 256, http.RequestAborted);
        http.Response.ContentType = "application/octet-stream";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"cpu-{Environment.ProcessId}.nettrace\"";
        var copy = session.EventStream.CopyToAsync(http.Response.Body, http.RequestAborted);
        try
        {
            await Task.Delay(duration, http.RequestAborted);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
        }
        await copy;
    }

    private static IResult Heap(string? gc)
    {
        if (gc is "1" or "true") GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo();
        string[] names = ["gen0", "gen1", "gen2", "loh", "poh"];
        var generations = new Dictionary<string, object>();
        for (var i = 0; i < info.GenerationInfo.Length && i < names.Length; i++)
        {
            var g = info.GenerationInfo[i];
            generations[names[i]] = new
            {
                size_before_bytes = g.SizeBeforeBytes,
                size_after_bytes = g.SizeAfterBytes,
                fragmentation_before_bytes = g.FragmentationBeforeBytes,
                fragmentation_after_bytes = g.FragmentationAfterBytes,
                collections = i <= GC.MaxGeneration ? GC.CollectionCount(i) : (int?)null,
            };
        }
        return Results.Json(new
        {
            heap_size_bytes = info.HeapSizeBytes,
            total_memory_bytes = GC.GetTotalMemory(false),
            total_allocated_bytes = GC.GetTotalAllocatedBytes(),
            committed_bytes = info.TotalCommittedBytes,
            fragmented_bytes = info.FragmentedBytes,
            promoted_bytes = info.PromotedBytes,
            memory_load_bytes = info.MemoryLoadBytes,
            high_memory_load_threshold_bytes = info.HighMemoryLoadThresholdBytes,
            total_available_memory_bytes = info.TotalAvailableMemoryBytes,
            pause_time_percentage = info.PauseTimePercentage,
            total_pause_duration_ms = GC.GetTotalPauseDuration().TotalMilliseconds,
            last_gc_generation = info.Generation,
            last_gc_index = info.Index,
            server_gc = GCSettings.IsServerGC,
            latency_mode = GCSettings.LatencyMode.ToString(),
            generations,
        }, Json);
    }

    private static async Task<IResult> HeapDumpAsync(HttpContext http, string? type)
    {
        DumpType? dumpType = (type ?? "heap").ToLowerInvariant() switch
        {
            "mini" => DumpType.Normal,
            "heap" => DumpType.WithHeap,
            "triage" => DumpType.Triage,
            "full" => DumpType.Full,
            _ => null,
        };
        if (dumpType is null) return Results.BadRequest(new { error = "type must be mini, heap, triage or full" });
        var path = Path.Combine(Path.GetTempPath(), $"thaiyyal-{Environment.ProcessId}-{Guid.NewGuid():N}.dmp");
        try
        {
            await new DiagnosticsClient(Environment.ProcessId).WriteDumpAsync(dumpType.Value, path, logDumpGeneration: false, http.RequestAborted);
            http.Response.ContentType = "application/octet-stream";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"thaiyyal-{Environment.ProcessId}.dmp\"";
            await using var dump = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            http.Response.ContentLength = dump.Length;
            await dump.CopyToAsync(http.Response.Body, http.RequestAborted);
            return Results.Empty;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Writes a mini dump of this process and reads every managed thread's stack from it with ClrMD.</summary>
    private static async Task<IResult> ThreadStacksAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"thaiyyal-stacks-{Environment.ProcessId}-{Guid.NewGuid():N}.dmp");
        try
        {
            await new DiagnosticsClient(Environment.ProcessId).WriteDumpAsync(DumpType.Normal, path, logDumpGeneration: false, cancellationToken);
            var text = new StringBuilder();
            using (var target = DataTarget.LoadDump(path))
            {
                // The DAC that reads this runtime's data structures ships next to the runtime itself.
                var dac = Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(),
                    OperatingSystem.IsWindows() ? "mscordaccore.dll" : OperatingSystem.IsMacOS() ? "libmscordaccore.dylib" : "libmscordaccore.so");
                using var runtime = File.Exists(dac) ? target.ClrVersions[0].CreateRuntime(dac, ignoreMismatch: true) : target.ClrVersions[0].CreateRuntime();
                foreach (var thread in runtime.Threads.Where(t => t.IsAlive))
                {
                    text.Append("thread ").Append(thread.ManagedThreadId).Append(" (os 0x").Append(thread.OSThreadId.ToString("x")).Append(')');
                    if (thread.IsFinalizer) text.Append(" finalizer");
                    if (thread.IsGc) text.Append(" gc");
                    text.Append(":\n");
                    foreach (var frame in thread.EnumerateStackTrace())
                    {
                        var name = frame.Method?.Signature ?? frame.FrameName;
                        if (name is not null) text.Append("    ").Append(name).Append('\n');
                    }
                    text.Append('\n');
                }
            }
            return Results.Text(text.ToString(), "text/plain; charset=utf-8");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IResult Counters()
    {
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo();
        return Results.Json(new
        {
            timestamp = DateTimeOffset.UtcNow,
            process = new
            {
                id = Environment.ProcessId,
                uptime_seconds = (DateTime.Now - process.StartTime).TotalSeconds,
                cpu_time_seconds = process.TotalProcessorTime.TotalSeconds,
                working_set_bytes = process.WorkingSet64,
                private_memory_bytes = process.PrivateMemorySize64,
                threads = process.Threads.Count,
                processor_count = Environment.ProcessorCount,
            },
            gc = new
            {
                heap_size_bytes = info.HeapSizeBytes,
                committed_bytes = info.TotalCommittedBytes,
                total_allocated_bytes = GC.GetTotalAllocatedBytes(),
                gen0_collections = GC.CollectionCount(0),
                gen1_collections = GC.CollectionCount(1),
                gen2_collections = GC.CollectionCount(2),
                pause_time_percentage = info.PauseTimePercentage,
                total_pause_duration_ms = GC.GetTotalPauseDuration().TotalMilliseconds,
            },
            thread_pool = new
            {
                threads = ThreadPool.ThreadCount,
                pending_work_items = ThreadPool.PendingWorkItemCount,
                completed_work_items = ThreadPool.CompletedWorkItemCount,
            },
            jit = new
            {
                compiled_methods = System.Runtime.JitInfo.GetCompiledMethodCount(),
                compiled_il_bytes = System.Runtime.JitInfo.GetCompiledILBytes(),
                compilation_time_ms = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
            },
            monitor_lock_contention_count = Monitor.LockContentionCount,
            timers = Timer.ActiveCount,
            assemblies_loaded = AppDomain.CurrentDomain.GetAssemblies().Length,
        }, Json);
    }
}
