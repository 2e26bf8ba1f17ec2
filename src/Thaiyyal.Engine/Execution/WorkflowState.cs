using System.Collections.Concurrent;

namespace Thaiyyal.Engine.Execution;

/// <summary>
/// Run-wide state shared by every node of one run, scope bodies included (workflow-format.md §14).
/// Nothing survives the run. Access is thread-safe: scope bodies may run concurrently.
/// </summary>
internal sealed class WorkflowState
{
    private readonly Lock _lock = new();
    // Created on first use: most runs touch none of them.
    private Dictionary<string, Value>? _variables;
    private Dictionary<string, Value>? _contextVariables;
    private Dictionary<string, Value>? _contextConstants;
    private Dictionary<string, CacheEntry>? _cache;
    private ConcurrentDictionary<string, object>? _nodeMemory;
    private Value _accumulator;
    private bool _hasAccumulator;
    private double _counter;

    /// <summary>Per-node bookkeeping that lives as long as the run (rate limiter logs, throttle times).</summary>
    public ConcurrentDictionary<string, object> NodeMemory =>
        _nodeMemory ?? Interlocked.CompareExchange(ref _nodeMemory, new ConcurrentDictionary<string, object>(StringComparer.Ordinal), null) ?? _nodeMemory;

    /// <summary>Number of workflow variables.</summary>
    public int VariableCount
    {
        get { lock (_lock) return _variables?.Count ?? 0; }
    }

    public bool TryGetVariable(string name, out Value value)
    {
        lock (_lock)
        {
            value = default;
            return _variables?.TryGetValue(name, out value) == true;
        }
    }

    public void SetVariable(string name, Value value)
    {
        lock (_lock) (_variables ??= new(StringComparer.Ordinal))[name] = value;
    }

    /// <summary>
    /// Sets a variable unless <paramref name="name"/> is new and <paramref name="maxVariables"/> (when above 0)
    /// variables already exist; check and write are one step, so concurrent scope bodies cannot overshoot.
    /// </summary>
    /// <returns>False when the limit refused a new name; <paramref name="count"/> is then the current count.</returns>
    public bool TrySetVariable(string name, Value value, int maxVariables, out int count)
    {
        lock (_lock)
        {
            var variables = _variables ??= new(StringComparer.Ordinal);
            count = variables.Count;
            if (maxVariables > 0 && count >= maxVariables && !variables.ContainsKey(name)) return false;
            variables[name] = value;
            return true;
        }
    }

    /// <summary>A copy of the variables, for expression contexts.</summary>
    public Dictionary<string, Value> SnapshotVariables()
    {
        lock (_lock) return _variables is null ? new(StringComparer.Ordinal) : new(_variables, StringComparer.Ordinal);
    }

    /// <summary>
    /// Replaces the accumulator with <paramref name="update"/>(current value, whether one was set) atomically and
    /// returns the new value. An exception from <paramref name="update"/> leaves the accumulator unchanged.
    /// </summary>
    public Value UpdateAccumulator(Func<Value, bool, Value> update)
    {
        lock (_lock)
        {
            _accumulator = update(_accumulator, _hasAccumulator);
            _hasAccumulator = true;
            return _accumulator;
        }
    }


    /// <summary>Applies <paramref name="update"/> to the counter atomically and returns the new value.</summary>
    public double UpdateCounter(Func<double, double> update)
    {
        lock (_lock) return _counter = update(_counter);
    }

    public double Counter
    {
        get { lock (_lock) return _counter; }
    }

    public bool TryGetCached(string key, DateTimeOffset now, out Value value)
    {
        lock (_lock)
        {
            if (_cache is not null && _cache.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
            {
                value = entry.Value;
                return true;
            }
            value = default;
            return false;
        }
    }

    public void SetCached(string key, Value value, DateTimeOffset expiresAt)
    {
        lock (_lock) (_cache ??= new(StringComparer.Ordinal))[key] = new CacheEntry(value, expiresAt);
    }

    /// <summary>Removes an entry; true when a live (unexpired) entry was there.</summary>
    public bool RemoveCached(string key, DateTimeOffset now)
    {
        lock (_lock) return _cache is not null && _cache.Remove(key, out var entry) && entry.ExpiresAt > now;
    }

    public void SetContextVariable(string name, Value value)
    {
        lock (_lock) (_contextVariables ??= new(StringComparer.Ordinal))[name] = value;
    }

    public void SetContextConstant(string name, Value value)
    {
        lock (_lock) (_contextConstants ??= new(StringComparer.Ordinal))[name] = value;
    }

    /// <summary><c>context.&lt;name&gt;</c>: a context variable shadows a constant of the same name.</summary>
    public bool TryGetContextValue(string name, out Value value)
    {
        lock (_lock)
        {
            value = default;
            return _contextVariables?.TryGetValue(name, out value) == true || _contextConstants?.TryGetValue(name, out value) == true;
        }
    }

    /// <summary>Merged context values (variables win), for expression contexts.</summary>
    public Dictionary<string, Value> SnapshotContext()
    {
        lock (_lock)
        {
            var merged = _contextConstants is null ? new Dictionary<string, Value>(StringComparer.Ordinal) : new Dictionary<string, Value>(_contextConstants, StringComparer.Ordinal);
            if (_contextVariables is not null)
            {
                foreach (var (k, v) in _contextVariables) merged[k] = v;
            }
            return merged;
        }
    }

    private readonly record struct CacheEntry(Value Value, DateTimeOffset ExpiresAt);
}
