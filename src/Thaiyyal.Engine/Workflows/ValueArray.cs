using System.Collections;

namespace Thaiyyal.Engine.Workflows;

/// <summary>An immutable array of values. Build one from an array the caller gives up.</summary>
public sealed class ValueArray : IReadOnlyList<Value>, IEquatable<ValueArray>
{
    private readonly Value[] _items;

    /// <summary>The shared empty array.</summary>
    public static ValueArray Empty { get; } = new([]);

    /// <summary>Wraps <paramref name="items"/> without copying: the caller must not change it afterwards.</summary>
    public ValueArray(Value[] items) => _items = items ?? throw new ArgumentNullException(nameof(items));

    /// <summary>Copies <paramref name="items"/>.</summary>
    public ValueArray(IEnumerable<Value> items) => _items = [.. items];

    private ValueArray(Value[] items, bool isRecordList)
    {
        _items = items;
        IsRecordList = isRecordList;
    }

    /// <summary>An array of objects that reports the Go type name of a parsed CSV table.</summary>
    public static ValueArray RecordList(Value[] records) => new(records, isRecordList: true);

    /// <summary>True when the array came from a table parser (affects type names in messages only).</summary>
    public bool IsRecordList { get; }

    public int Count => _items.Length;

    public Value this[int index] => _items[index];

    public ReadOnlySpan<Value> AsSpan() => _items;

    public Enumerator GetEnumerator() => new(_items);

    IEnumerator<Value> IEnumerable<Value>.GetEnumerator() => ((IEnumerable<Value>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueArray? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._items.Length != _items.Length) return false;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(other._items[i])) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueArray other && Equals(other);

    public override int GetHashCode() => _items.Length;

    /// <summary>Allocation-free enumerator for <c>foreach</c>.</summary>
    public struct Enumerator
    {
        private readonly Value[] _items;
        private int _index;

        internal Enumerator(Value[] items)
        {
            _items = items;
            _index = -1;
        }

        public readonly Value Current => _items[_index];

        public bool MoveNext() => ++_index < _items.Length;
    }
}
