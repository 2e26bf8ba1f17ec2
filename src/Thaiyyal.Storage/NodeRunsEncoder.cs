using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage;

/// <summary>
/// One node run's fields, as <see cref="NodeRunsEncoder"/> takes them: those of a <see cref="NodeRunRecord"/> without
/// the execution id, so that a finished run's node runs can be stored without making a record of each.
/// </summary>
public readonly record struct NodeRunFields(string NodeId, string NodeType, string Status, DateTimeOffset StartedAt)
{
    public string? ScopeNodeId { get; init; }
    public int? Iteration { get; init; }
    public double? DurationMs { get; init; }
    public string? ResultJson { get; init; }

    /// <summary><see cref="NodeRunRecord.ResultIsJson"/>.</summary>
    public bool ResultIsJson { get; init; }

    public bool ResultTruncated { get; init; }

    /// <summary><see cref="NodeRunRecord.ResultInAnswer"/>.</summary>
    public bool ResultInAnswer { get; init; }

    public string? Error { get; init; }
    public long StartSequence { get; init; }
    public long EndSequence { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>
/// Writes a finished run's node runs straight into their stored form (the compact form of the <c>nodes_json</c>
/// column, which a batch row keeps for each of its runs as well), in start order: no <see cref="NodeRunRecord"/> per
/// node run and no second pass over them (the history writer's cost, docs/performance.md). One instance serves one
/// thread; <see cref="Start"/> begins a run, <see cref="Finish"/> ends it.
/// </summary>
public sealed class NodeRunsEncoder : IDisposable
{
    private readonly ReusedJsonWriter _text = new(RunBundleJson.StoredOptions, 1024);
    private long _origin;
    private int _count;

    public void Start()
    {
        _text.Start();
        _count = 0;
    }

    /// <summary>Adds the next node run (the first one added is the first to have started).</summary>
    public void Add(in NodeRunFields node)
    {
        var w = _text.Writer;
        if (_count++ == 0) _origin = RunBundleJson.StartNodes(w, node);
        RunBundleJson.WriteNode(w, _origin, node);
    }

    /// <summary>The run's node runs in their stored form; null when none was added.</summary>
    public EncodedNodeRuns? Finish()
    {
        var w = _text.Writer;
        if (_count == 0) return null;
        w.WriteEndArray();
        return new EncodedNodeRuns(_text.Finish(), _count);
    }

    public void Dispose() => _text.Dispose();
}

/// <summary>A finished run's node runs as <see cref="NodeRunsEncoder"/> wrote them.</summary>
public sealed class EncodedNodeRuns
{
    internal EncodedNodeRuns(byte[] utf8, int count) => (Utf8, Count) = (utf8, count);

    /// <summary>The stored text as UTF-8.</summary>
    internal byte[] Utf8 { get; }

    public int Count { get; }
}
