using System.Globalization;
using System.Diagnostics;
using System.Text;
using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Server.Configuration;
using Thaiyyal.Server.Executions;
using Thaiyyal.Storage;

// The history writer's cost per synchronous run, by phase, in process CPU time: the 3-node addition run with a
// deferred journal (the request path's share), its record built as SyncRunRecorder builds it, and the records
// stored in batches of HistoryWriter.BatchSize into a fresh SQLite file (or DATABASE_URL). Rounds follow each other
// on one growing database, as a server's would; then one retention round removes them all.
// Then the same batch of finished runs is built and stored again and again ("hot": warm caches, one thread), and the
// fastest and the median repetition are printed: steadier than the rounds on a shared machine, for comparing builds.
// Last, the request path's share: the addition run with the server's telemetry observer alone and with a deferred journal
// beside it (as the execute route does with HISTORY=all), the journals kept alive as long as the writer's queue keeps
// them, rounds alternating; the fastest round of each is printed.
// Usage: dotnet run -c Release --project bench/HistoryWrite -- [runs per round, default 50000] [rounds, default 3] [hot repetitions, default 300]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var repetitions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
const string Addition = """{"nodes":[{"id":"1","type":"number","data":{"value":10}},{"id":"2","type":"number","data":{"value":5}},{"id":"3","type":"operation","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},{"source":"2","target":"3"}]}""";
var payload = Encoding.UTF8.GetBytes(Addition);
var settings = new ExecutionSettings();
var engine = new WorkflowEngine();
var directory = Path.Combine(Path.GetTempPath(), "thaiyyal-history-write-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
try
{
    await using var store = await StoreFactory.OpenAsync(new StoreOptions
    {
        DataDirectory = directory,
        DatabaseUrl = Environment.GetEnvironmentVariable("DATABASE_URL"),
    });
    // Ids as the server makes them (time-ordered, with a generator number registered in the store).
    var claim = Guid.NewGuid().ToString("N");
    var ids = new ExecutionIdGenerator(await IdGeneratorSlot.ClaimAsync(store.Executions, claim, "bench", TimeProvider.System, CancellationToken.None),
        TimeProvider.System, claim);
    Console.WriteLine($"{runs} runs per round into {store.Provider}; CPU per run:");
    for (var round = 1; round <= rounds; round++)
    {
        // As in the server, a batch of runs finishes, then the writer builds their records and stores them: the runs'
        // results live about as long as they do there. Each phase's CPU time is read once per batch (reading it per run
        // would cost more than building a record).
        TimeSpan runCpu = default, buildCpu = default, storeCpu = default;
        var finished = new List<(RunJournal Journal, ExecutionResult Result, DateTimeOffset Started)>(HistoryWriter.BatchSize);
        var batch = new List<CompletedExecution>(HistoryWriter.BatchSize);
        for (var done = 0; done < runs; done += HistoryWriter.BatchSize)
        {
            var t0 = CpuTime();
            finished.Clear();
            for (var i = done; i < Math.Min(runs, done + HistoryWriter.BatchSize); i++)
            {
                var id = ids.Next();
                var journal = new RunJournal(id, settings);
                var started = DateTimeOffset.UtcNow;
                var result = await engine.ExecuteAsync(engine.Parse(Addition), new RunOptions { Observer = journal, ExecutionId = id }, CancellationToken.None);
                finished.Add((journal, result, started));
            }
            var t1 = CpuTime();
            runCpu += t1 - t0;
            foreach (var (journal, result, started) in finished)
            {
                var ended = started + result.Duration;
                var body = NodeEventJson.WriteValueUtf8(w => ExecutionResponseWriter.Write(w, result, result.Duration));
                journal.Finish(ExecutionStatus.Succeeded, body, ended);
                batch.Add(Build(journal, result, started, ended));
            }
            buildCpu += CpuTime() - t1;
            storeCpu += await StoreAsync(store, batch);
        }
        var file = new FileInfo(Path.Combine(directory, "thaiyyal.db"));
        var size = file.Exists ? string.Create(CultureInfo.InvariantCulture, $"; database {file.Length / 1e6:F0} MB") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: run with journal {PerRun(runCpu):F1} us, build record {PerRun(buildCpu):F1} us, store {PerRun(storeCpu):F1} us{size}"));
    }
    await HotAsync(store, ids);
    await RequestPathAsync(ids);
    // Retention: every stored run is past the age (a round of HistoryRetention with nothing to keep).
    var p0 = CpuTime();
    var wall = Stopwatch.StartNew();
    var removed = await store.Executions.PruneAsync(DateTimeOffset.UtcNow.AddDays(1), 0, CancellationToken.None);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"prune: {removed} runs removed in {wall.Elapsed.TotalSeconds:F2} s, {(CpuTime() - p0).TotalMicroseconds / Math.Max(1, removed):F1} us CPU per run"));
}
finally
{
    Directory.Delete(directory, recursive: true);
}

// One batch of finished runs (their journals closed), built into records and stored repetition after repetition; the
// batch row is replaced each time (the same first id), so the database does not grow.
async Task HotAsync(IThaiyyalStore store, ExecutionIdGenerator ids)
{
    var finished = new List<(RunJournal Journal, ExecutionResult Result, DateTimeOffset Started, DateTimeOffset Ended)>(HistoryWriter.BatchSize);
    for (var i = 0; i < HistoryWriter.BatchSize; i++)
    {
        var id = ids.Next();
        var journal = new RunJournal(id, settings);
        var started = DateTimeOffset.UtcNow;
        var result = await engine.ExecuteAsync(engine.Parse(Addition), new RunOptions { Observer = journal, ExecutionId = id }, CancellationToken.None);
        var ended = started + result.Duration;
        journal.Finish(ExecutionStatus.Succeeded, NodeEventJson.WriteValueUtf8(w => ExecutionResponseWriter.Write(w, result, result.Duration)), ended);
        finished.Add((journal, result, started, ended));
    }
    var batch = new List<CompletedExecution>(HistoryWriter.BatchSize);
    var build = new List<double>(repetitions);
    var save = new List<double>(repetitions);
    var allocated = 0L;
    for (var r = 0; r < repetitions; r++)
    {
        var t0 = Stopwatch.GetTimestamp();
        var a0 = GC.GetAllocatedBytesForCurrentThread();
        batch.Clear();
        foreach (var (journal, result, started, ended) in finished) batch.Add(Build(journal, result, started, ended));
        var t1 = Stopwatch.GetTimestamp();
        allocated = (GC.GetAllocatedBytesForCurrentThread() - a0) / batch.Count;
        await store.Executions.SaveCompletedAsync(batch, CancellationToken.None);
        var t2 = Stopwatch.GetTimestamp();
        build.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds / batch.Count);
        save.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds / batch.Count);
    }
    // The first third warms up (the JIT's later tiers).
    build = [.. build.Skip(repetitions / 3).Order()];
    save = [.. save.Skip(repetitions / 3).Order()];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"hot, {repetitions} repetitions of {batch.Count} runs, wall time per run: build record {build[0]:F2} us (median {build[build.Count / 2]:F2}), store {save[0]:F2} us (median {save[save.Count / 2]:F2}); building allocates {allocated} bytes per run"));
}

// The execute route's run with and without its journal (WorkflowRunner: the telemetry observer, fanned out with the journal).
async Task RequestPathAsync(ExecutionIdGenerator ids)
{
    const int PerRound = 20_000;
    var telemetry = new Thaiyyal.Server.Telemetry.RunTelemetryObserver(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, "",
        engine.Options.Limits);
    // Journals and results stay alive until the writer takes them: about a batch's worth.
    var queued = new Queue<object>(2 * HistoryWriter.BatchSize + 2);
    var best = new[] { double.MaxValue, double.MaxValue };
    var bytes = new long[2];
    for (var round = 0; round < 12; round++)
    {
        for (var withJournal = 0; withJournal < 2; withJournal++)
        {
            var a0 = GC.GetAllocatedBytesForCurrentThread();
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < PerRound; i++)
            {
                var id = ids.Next();
                var journal = withJournal == 1 ? new RunJournal(id, settings) : null;
                ExecutionObserver observer = journal is null ? telemetry : new ObserverFanOut(telemetry, journal);
                var result = await engine.ExecuteAsync(engine.Parse(payload), new RunOptions { Observer = observer, ExecutionId = id }, CancellationToken.None);
                if (journal is null) continue;
                queued.Enqueue(journal);
                queued.Enqueue(result);
                if (queued.Count <= 2 * HistoryWriter.BatchSize) continue;
                queued.Dequeue();
                queued.Dequeue();
            }
            best[withJournal] = Math.Min(best[withJournal], Stopwatch.GetElapsedTime(t0).TotalMicroseconds / PerRound);
            bytes[withJournal] = (GC.GetAllocatedBytesForCurrentThread() - a0) / PerRound;
        }
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"request path, fastest of 12 rounds of {PerRound} runs, wall time per run: telemetry observer {best[0]:F2} us ({bytes[0]} bytes), with a journal {best[1]:F2} us ({bytes[1]} bytes): +{best[1] - best[0]:F2} us, +{bytes[1] - bytes[0]} bytes"));
}

CompletedExecution Build(RunJournal journal, ExecutionResult result, DateTimeOffset started, DateTimeOffset ended) =>
    journal.Build(answer: result, execution: new ExecutionRecord
    {
        Id = journal.ExecutionId, PayloadHash = ExecutionIds.PayloadHash(payload), Mode = "sync", Source = "api",
        Status = ExecutionStatus.Succeeded, CreatedAt = started, StartedAt = started, EndedAt = ended,
        DurationMs = result.Duration.TotalMilliseconds,
        FinalOutputJson = NodeEventJson.Capped(result.FinalOutput, settings.MaxResultBytes).Json, Replica = "bench",
    });

double PerRun(TimeSpan cpu) => cpu.TotalMicroseconds / runs;

static TimeSpan CpuTime() => Process.GetCurrentProcess().TotalProcessorTime;

static async Task<TimeSpan> StoreAsync(IThaiyyalStore store, List<CompletedExecution> batch)
{
    var t0 = CpuTime();
    if (batch.Count > 0) await store.Executions.SaveCompletedAsync(batch, CancellationToken.None);
    batch.Clear();
    return CpuTime() - t0;
}
