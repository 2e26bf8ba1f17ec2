namespace Thaiyyal.Engine.Nodes.StateMemory;

/// <summary><c>cache</c>: a key/value store for the run, whose entries expire after a time to live.</summary>
internal sealed class CacheNode : NodeExecutor<CacheNode.Options>
{
    private static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(5);

    /// <summary>The operation and key; the ttl text as given (null when absent) and its parsed value.</summary>
    public sealed record Options(string Operation, string Key, string? TtlText, TimeSpan? Ttl);

    public override NodeDescriptor Descriptor { get; } = new NodeDescriptor("cache", NodeCategories.StateMemory, "Cache",
        "Stores the input under a key for a while (set), reads it back (get) or removes it (delete).",
        [
            new NodeField("cache_op", FieldType.String, "Operation", "get, set or delete.", Required: true, Default: "get", Options: ["get", "set", "delete"]),
            new NodeField("cache_key", FieldType.String, "Key", "The entry's key.", Required: true, Default: ""),
            new NodeField("ttl", FieldType.Duration, "Time to live", "How long a set entry stays, e.g. 30s or 10m.", Default: "5m"),
            new NodeField("max_size", FieldType.Integer, "Max size", "Accepted for compatibility; the cache is not bounded."),
            new NodeField("eviction", FieldType.String, "Eviction", "Accepted for compatibility; unused."),
            new NodeField("storage", FieldType.String, "Storage", "Accepted for compatibility; unused."),
        ])
    {
        MinInputs = 0,
        EditorDefaults = ValueObject.Of(("cache_op", "get"), ("cache_key", "")),
    } with { Inference = new(24, ["cache_op"]) { AlsoRequired = ["cache_key"] } };

    protected override Options BindOptions(NodeData data)
    {
        var ttlText = data.String("ttl");
        TimeSpan? ttl = ttlText is null ? DefaultTtl : Compatibility.GoDuration.TryParse(ttlText, out var parsed) ? parsed : null;
        return new(data.RequiredString("cache_op"), data.RequiredString("cache_key"), ttlText, ttl);
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var state = context.State;
        var now = context.TimeProvider.GetUtcNow();
        switch (options.Operation)
        {
            case "set":
                if (context.Inputs.Count == 0) throw new NodeExecutionException("cache set operation requires an input value");
                if (options.Ttl is not { } ttl) throw new NodeExecutionException($"invalid TTL format: {Compatibility.GoDuration.FormatError(options.TtlText!)}");
                state.SetCached(options.Key, context.Input, ExpiresAt(now, ttl));
                return new(ValueObject.Of(("operation", "set"), ("key", options.Key), ("value", context.Input), ("ttl", options.TtlText)));
            case "get":
                var found = state.TryGetCached(options.Key, now, out var value);
                return new(ValueObject.Of(("operation", "get"), ("key", options.Key), ("found", found), ("value", value)));
            case "delete":
                var deleted = state.RemoveCached(options.Key, now);
                return new(ValueObject.Of(("operation", "delete"), ("key", options.Key), ("deleted", deleted)));
            default:
                throw new NodeExecutionException($"unsupported cache operation: {options.Operation} (use get, set, or delete)");
        }
    }

    private static DateTimeOffset ExpiresAt(DateTimeOffset now, TimeSpan ttl)
    {
        var room = DateTimeOffset.MaxValue - now;
        return ttl >= room ? DateTimeOffset.MaxValue : now + ttl;
    }
}
