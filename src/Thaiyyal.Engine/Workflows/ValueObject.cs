using System.Collections;

namespace Thaiyyal.Engine.Workflows;

/// <summary>
/// An immutable object value. Keys keep their insertion order for enumeration; serialisation and
/// <see cref="SortedKeys"/> use ordinal order, as the original engine's maps did.
/// </summary>
public sealed class ValueObject : IReadOnlyDictionary<string, Value>, IEquatable<ValueObject>
{
    private readonly Dictionary<string, Value> _entries;
    private string[]? _sortedKeys;

    /// <summary>The shared empty object.</summary>
    public static ValueObject Empty { get; } = new(new Dictionary<string, Value>(0, StringComparer.Ordinal));

    /// <summary>Wraps <paramref name="entries"/> without copying: the caller must not change it afterwards.</summary>
    public ValueObject(Dictionary<string, Value> entries) => _entries = entries ?? throw new ArgumentNullException(nameof(entries));

    /// <summary>Builds an object from key/value pairs (later duplicates win).</summary>
    public static ValueObject Of(params ReadOnlySpan<(string Key, Value Value)> entries)
    {
        var map = new Dictionary<string, Value>(entries.Length, StringComparer.Ordinal);
        foreach (var (key, value) in entries) map[key] = value;
        return new ValueObject(map);
    }

    public int Count => _entries.Count;

    public Value this[string key] => _entries[key];

    public IEnumerable<string> Keys => _entries.Keys;

    public IEnumerable<Value> Values => _entries.Values;

    /// <summary>Keys in ordinal order (cached).</summary>
    public IReadOnlyList<string> SortedKeys
    {
        get
        {
            if (_sortedKeys is null)
            {
                var keys = new string[_entries.Count];
                _entries.Keys.CopyTo(keys, 0);
                Array.Sort(keys, StringComparer.Ordinal);
                _sortedKeys = keys;
            }
            return _sortedKeys;
        }
    }

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public bool TryGetValue(string key, out Value value) => _entries.TryGetValue(key, out value);

    /// <summary>The value under <paramref name="key"/>, or <see cref="Value.Null"/>.</summary>
    public Value GetOrNull(string key) => _entries.TryGetValue(key, out var v) ? v : default;

    /// <summary>A mutable copy, for building a changed object.</summary>
    public Dictionary<string, Value> ToDictionary() => new(_entries, StringComparer.Ordinal);

    public Dictionary<string, Value>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<KeyValuePair<string, Value>> IEnumerable<KeyValuePair<string, Value>>.GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    public bool Equals(ValueObject? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._entries.Count != _entries.Count) return false;
        foreach (var (key, value) in _entries)
        {
            if (!other._entries.TryGetValue(key, out var theirs) || !value.Equals(theirs)) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueObject other && Equals(other);

    public override int GetHashCode() => _entries.Count;
}
