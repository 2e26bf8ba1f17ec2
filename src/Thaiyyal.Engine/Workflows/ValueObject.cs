using System.Diagnostics.CodeAnalysis;
using System.Collections;

namespace Thaiyyal.Engine.Workflows;

/// <summary>
/// An immutable object value. Keys keep their insertion order for enumeration; serialisation and
/// <see cref="SortedKeys"/> use ordinal order, as the original engine's maps did. Small objects (the
/// common case: node data, branch results) are two arrays searched linearly; larger ones a dictionary.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "Named after the JSON kind it holds, like ValueArray.")]
public sealed class ValueObject : IReadOnlyDictionary<string, Value>, IEquatable<ValueObject>
{
    private const int SmallLimit = 8;

    private readonly string[] _keys;
    private readonly Value[] _values;

    // A small object: null, or its keys in ordinal order once asked for (SortedKeys). A large one: its Large. One field
    // for the two, as most objects are small: node data, results and branch outputs are read by the thousand.
    private object? _extra;

    /// <summary>A large object's entries and, once asked for, its keys in ordinal order.</summary>
    private sealed class Large(Dictionary<string, Value> map)
    {
        public Dictionary<string, Value> Map { get; } = map;

        public string[]? Sorted { get; set; }
    }

    /// <summary>A large object's entries; null for a small one.</summary>
    private Dictionary<string, Value>? LargeMap => (_extra as Large)?.Map;

    /// <summary>The shared empty object.</summary>
    public static ValueObject Empty { get; } = new([], []);

    /// <summary>Wraps <paramref name="entries"/> without copying: the caller must not change it afterwards.</summary>
    public ValueObject(Dictionary<string, Value> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count <= SmallLimit)
        {
            _keys = new string[entries.Count];
            _values = new Value[entries.Count];
            var i = 0;
            foreach (var (k, v) in entries)
            {
                _keys[i] = k;
                _values[i++] = v;
            }
        }
        else
        {
            _extra = new Large(entries);
            _keys = [];
            _values = [];
        }
    }

    /// <summary>Wraps parallel arrays of distinct keys and their values without copying.</summary>
    private ValueObject(string[] keys, Value[] values)
    {
        _keys = keys;
        _values = values;
    }

    /// <summary>Wraps arrays of distinct keys and their values without copying (large ones go into a dictionary).</summary>
    internal static ValueObject FromDistinct(string[] keys, Value[] values)
    {
        if (keys.Length <= SmallLimit) return new ValueObject(keys, values);
        var map = new Dictionary<string, Value>(keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++) map[keys[i]] = values[i];
        return new ValueObject(map);
    }

    /// <summary>Builds an object from key/value pairs (later duplicates win).</summary>
    public static ValueObject Of(params ReadOnlySpan<(string Key, Value Value)> entries)
    {
        var map = new Dictionary<string, Value>(entries.Length, StringComparer.Ordinal);
        foreach (var (key, value) in entries) map[key] = value;
        return new ValueObject(map);
    }

    /// <summary>Builds an object from a list of entries read in order (later duplicates win); used by readers.</summary>
    public static ValueObject FromEntries(ReadOnlySpan<KeyValuePair<string, Value>> entries)
    {
        if (entries.Length == 0) return Empty;
        if (entries.Length > SmallLimit)
        {
            var map = new Dictionary<string, Value>(entries.Length, StringComparer.Ordinal);
            foreach (var (k, v) in entries) map[k] = v;
            return new ValueObject(map);
        }
        var keys = new string[entries.Length];
        var values = new Value[entries.Length];
        var count = 0;
        foreach (var (k, v) in entries)
        {
            var existing = System.Array.IndexOf(keys, k, 0, count);
            if (existing >= 0)
            {
                values[existing] = v;
                continue;
            }
            keys[count] = k;
            values[count++] = v;
        }
        if (count < keys.Length)
        {
            System.Array.Resize(ref keys, count);
            System.Array.Resize(ref values, count);
        }
        return new ValueObject(keys, values);
    }

    public int Count => _extra is Large large ? large.Map.Count : _keys.Length;

    public Value this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => LargeMap is { } map ? map.Keys : _keys;

    public IEnumerable<Value> Values => LargeMap is { } map ? map.Values : _values;

    /// <summary>Keys in ordinal order (cached).</summary>
    public IReadOnlyList<string> SortedKeys
    {
        get
        {
            if (_extra is Large large)
            {
                if (large.Sorted is null)
                {
                    string[] keys = [.. large.Map.Keys];
                    System.Array.Sort(keys, StringComparer.Ordinal);
                    large.Sorted = keys;
                }
                return large.Sorted;
            }
            if (_extra is string[] sorted) return sorted;
            if (_keys.Length <= 1) return _keys;
            var copy = (string[])_keys.Clone();
            System.Array.Sort(copy, StringComparer.Ordinal);
            _extra = copy;
            return copy;
        }
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, out Value value)
    {
        if (_extra is Large large) return large.Map.TryGetValue(key, out value);
        var keys = _keys;
        for (var i = 0; i < keys.Length; i++)
        {
            if (string.Equals(keys[i], key, StringComparison.Ordinal))
            {
                value = _values[i];
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The value under <paramref name="key"/>, or <see cref="Value.Null"/>.</summary>
    public Value GetOrNull(string key) => TryGetValue(key, out var v) ? v : default;

    /// <summary>A mutable copy, for building a changed object.</summary>
    public Dictionary<string, Value> ToDictionary()
    {
        if (LargeMap is { } map) return new Dictionary<string, Value>(map, StringComparer.Ordinal);
        var copy = new Dictionary<string, Value>(_keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < _keys.Length; i++) copy[_keys[i]] = _values[i];
        return copy;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, Value>> IEnumerable<KeyValuePair<string, Value>>.GetEnumerator() => Enumerate().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Enumerate().GetEnumerator();

    private IEnumerable<KeyValuePair<string, Value>> Enumerate()
    {
        foreach (var pair in this) yield return pair;
    }

    public bool Equals(ValueObject? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Count != Count) return false;
        foreach (var (key, value) in this)
        {
            if (!other.TryGetValue(key, out var theirs) || !value.Equals(theirs)) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueObject other && Equals(other);

    public override int GetHashCode() => Count;

    /// <summary>Allocation-free enumerator over entries in insertion order.</summary>
    public struct Enumerator
    {
        private readonly ValueObject _owner;
        private readonly bool _large;
        private Dictionary<string, Value>.Enumerator _map;
        private int _index;

        internal Enumerator(ValueObject owner)
        {
            _owner = owner;
            var map = owner.LargeMap;
            _large = map is not null;
            _map = map?.GetEnumerator() ?? default;
            _index = -1;
        }

        public readonly KeyValuePair<string, Value> Current =>
            _large ? _map.Current : new(_owner._keys[_index], _owner._values[_index]);

        public bool MoveNext() => _large ? _map.MoveNext() : ++_index < _owner._keys.Length;
    }
}
