using System.Diagnostics.Metrics;

namespace Thaiyyal.Server.Executions;

/// <summary>
/// Execution-history and async-run instruments on the engine's meter. They are observable, so every family is
/// exported (at 0) from the first scrape. The meter is process-wide, so the values are too: one server per process
/// in production; in tests the per-app sources are summed.
/// </summary>
public static class ExecutionMetrics
{
    private static long _historyDropped;
    private static long _historyWritten;
    private static long _historyWriteErrors;
    private static readonly List<ExecutionLoad> Sources = [];

    /// <summary><c>workflow_history_dropped_total</c>: finished runs not recorded because the history queue was full.</summary>
    public static readonly ObservableCounter<long> HistoryDropped = EngineMetrics.Meter.CreateObservableCounter(
        "workflow_history_dropped_total", () => Volatile.Read(ref _historyDropped),
        description: "Execution records dropped because the history queue was full.");

    /// <summary><c>workflow_history_written_total</c>: execution records the history writer stored.</summary>
    public static readonly ObservableCounter<long> HistoryWritten = EngineMetrics.Meter.CreateObservableCounter(
        "workflow_history_written_total", () => Volatile.Read(ref _historyWritten),
        description: "Execution records written to the store by the history writer.");

    /// <summary>
    /// <c>workflow_history_write_errors_total</c>: failed attempts to store records (the writer keeps them and tries again
    /// while the store is unavailable), and records dropped because the store refused them for themselves.
    /// </summary>
    public static readonly ObservableCounter<long> HistoryWriteErrors = EngineMetrics.Meter.CreateObservableCounter(
        "workflow_history_write_errors_total", () => Volatile.Read(ref _historyWriteErrors),
        description: "Execution history writes that failed.");

    /// <summary><c>workflow_runs_in_flight</c>: runs executing now, synchronous and asynchronous.</summary>
    public static readonly ObservableGauge<long> RunsInFlight = EngineMetrics.Meter.CreateObservableGauge(
        "workflow_runs_in_flight", () => Sum(s => s.RunsInFlight()),
        description: "Workflow runs executing now (synchronous and asynchronous).");

    /// <summary><c>workflow_queue_depth</c>: asynchronous runs queued, not yet taken by a worker.</summary>
    public static readonly ObservableGauge<long> QueueDepth = EngineMetrics.Meter.CreateObservableGauge(
        "workflow_queue_depth", () => Sum(s => s.QueueDepth()),
        description: "Asynchronous runs waiting for a worker.");

    private static long _runsInterrupted;

    /// <summary><c>workflow_runs_interrupted_total</c>: runs that ended <c>interrupted</c> (their replica stopped or its lease ran out).</summary>
    public static readonly ObservableCounter<long> RunsInterrupted = EngineMetrics.Meter.CreateObservableCounter(
        "workflow_runs_interrupted_total", () => Volatile.Read(ref _runsInterrupted),
        description: "Asynchronous runs marked interrupted because the replica running them stopped or lost its lease.");

    /// <summary><c>workflow_queue_wait_seconds</c>: from submission to a worker claiming the run.</summary>
    public static readonly Histogram<double> QueueWait = EngineMetrics.Meter.CreateHistogram("workflow_queue_wait_seconds", unit: null,
        description: "Seconds an asynchronous run waited in the queue before a worker claimed it.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = EngineMetrics.DurationBuckets });

    public static void RecordInterrupted(int count) => Interlocked.Add(ref _runsInterrupted, count);

    public static void RecordDropped() => Interlocked.Increment(ref _historyDropped);

    public static void RecordWritten(int count) => Interlocked.Add(ref _historyWritten, count);

    public static void RecordWriteError() => Interlocked.Increment(ref _historyWriteErrors);

    /// <summary>Adds a server's gauges to the process's; dispose to remove them.</summary>
    public static IDisposable Register(ExecutionLoad source)
    {
        lock (Sources) Sources.Add(source);
        return new Registration(source);
    }

    private static long Sum(Func<ExecutionLoad, long> read)
    {
        lock (Sources) return Sources.Sum(read);
    }

    private sealed class Registration(ExecutionLoad source) : IDisposable
    {
        public void Dispose()
        {
            lock (Sources) Sources.Remove(source);
        }
    }
}

/// <summary>How busy one server is, read by the gauges.</summary>
public sealed record ExecutionLoad(Func<long> RunsInFlight, Func<long> QueueDepth);
