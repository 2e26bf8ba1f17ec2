using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Thaiyyal.Server.Storage;

/// <summary>
/// <c>storage_errors_total{operation}</c> on the Thaiyyal meter: database failures by repository operation
/// (<c>workflow.save</c>, <c>http_client.upsert</c>, <c>health</c> …). Observed rather than added so that the common
/// operations are exported at 0 from the start and an alert can use <c>increase()</c> from the first scrape.
/// </summary>
public static class StorageMetrics
{
    private static readonly ConcurrentDictionary<string, long> Errors = new(StringComparer.Ordinal);

    /// <summary>Operations exported at 0 before their first failure.</summary>
    public static readonly IReadOnlyList<string> KnownOperations =
    [
        "workflow.save", "workflow.get", "workflow.list", "workflow.delete", "workflow.versions", "workflow.version",
        "http_client.upsert", "http_client.delete", "http_client.list", "execution.prune", "health",
    ];

    private static readonly ObservableCounter<long> Instrument = EngineMetrics.Meter.CreateObservableCounter("storage_errors_total",
        () => Errors.Select(e => new Measurement<long>(e.Value, new KeyValuePair<string, object?>("operation", e.Key))),
        description: "Storage operations that failed because the database could not be reached or written, by operation.");

    static StorageMetrics()
    {
        foreach (var operation in KnownOperations) Errors.TryAdd(operation, 0);
    }

    /// <summary>Makes sure the instrument exists (call once at start-up, before the exporter's first collection).</summary>
    public static void EnsureCreated() => _ = Instrument.Enabled;

    public static void RecordError(string operation) => Errors.AddOrUpdate(operation, 1, (_, n) => n + 1);

    public static long ErrorCount(string operation) => Errors.TryGetValue(operation, out var n) ? n : 0;
}
