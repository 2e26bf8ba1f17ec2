using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Thaiyyal.Engine.Workflows;

/// <summary>The kinds of value that flow between nodes.</summary>
[SuppressMessage("Design", "CA1028", Justification = "One byte keeps Value small; it is copied between every node.")]
public enum ValueKind : byte
{
    /// <summary>JSON <c>null</c>; also the default <see cref="Value"/>.</summary>
    Null,
    /// <summary>A boolean.</summary>
    Bool,
    /// <summary>An IEEE-754 double, the type of every JSON number.</summary>
    Number,
    /// <summary>An integer count produced by a node (prints as <c>int</c> in type names).</summary>
    Integer,
    /// <summary>A string.</summary>
    String,
    /// <summary>An immutable array of values.</summary>
    Array,
    /// <summary>An immutable object (string keys).</summary>
    Object,
    /// <summary>A point in time (expression date functions, epoch context values).</summary>
    Timestamp,
}

/// <summary>
/// One JSON-like value. A struct, so numbers and booleans move between nodes and through the
/// expression evaluator without allocating; strings, arrays and objects are held by reference.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct Value : IEquatable<Value>
{
    private readonly object? _ref;
    private readonly double _number;
    private readonly ValueKind _kind;

    private Value(ValueKind kind, double number, object? reference)
    {
        _kind = kind;
        _number = number;
        _ref = reference;
    }

    /// <summary>The JSON <c>null</c> value.</summary>
    public static Value Null => default;

    /// <summary>The boolean <c>true</c>.</summary>
    public static Value True { get; } = new(ValueKind.Bool, 1, null);

    /// <summary>The boolean <c>false</c>.</summary>
    public static Value False { get; } = new(ValueKind.Bool, 0, null);

    /// <summary>The empty string.</summary>
    public static Value EmptyString { get; } = new(ValueKind.String, 0, string.Empty);

    public ValueKind Kind => _kind;

    public bool IsNull => _kind == ValueKind.Null;

    /// <summary>True for <see cref="ValueKind.Number"/> and <see cref="ValueKind.Integer"/>.</summary>
    public bool IsNumber => _kind is ValueKind.Number or ValueKind.Integer;

    public bool IsString => _kind == ValueKind.String;

    public bool IsBool => _kind == ValueKind.Bool;

    public bool IsArray => _kind == ValueKind.Array;

    public bool IsObject => _kind == ValueKind.Object;

    public static Value From(double number) => new(ValueKind.Number, number, null);

    public static Value From(bool flag) => flag ? True : False;

    /// <summary>A string value; <c>null</c> gives <see cref="Null"/>.</summary>
    public static Value From(string? text) => text is null ? default : new(ValueKind.String, 0, text);

    public static Value From(ValueArray array) => new(ValueKind.Array, 0, array ?? throw new ArgumentNullException(nameof(array)));

    public static Value From(ValueObject obj) => new(ValueKind.Object, 0, obj ?? throw new ArgumentNullException(nameof(obj)));

    public static Value From(DateTimeOffset time) => new(ValueKind.Timestamp, 0, time);

    /// <summary>An integer count (a node's length or index result).</summary>
    public static Value FromInteger(long count) => new(ValueKind.Integer, count, null);

    public static implicit operator Value(double number) => From(number);

    public static implicit operator Value(bool flag) => From(flag);

    public static implicit operator Value(string? text) => From(text);

    public static implicit operator Value(ValueArray array) => From(array);

    public static implicit operator Value(ValueObject obj) => From(obj);

    /// <summary>The number (doubles and integer counts alike). Throws for other kinds.</summary>
    public double AsNumber() => IsNumber ? _number : throw WrongKind(ValueKind.Number);

    public bool AsBool() => _kind == ValueKind.Bool ? _number != 0 : throw WrongKind(ValueKind.Bool);

    public string AsString() => _kind == ValueKind.String ? (string)_ref! : throw WrongKind(ValueKind.String);

    public ValueArray AsArray() => _kind == ValueKind.Array ? (ValueArray)_ref! : throw WrongKind(ValueKind.Array);

    public ValueObject AsObject() => _kind == ValueKind.Object ? (ValueObject)_ref! : throw WrongKind(ValueKind.Object);

    public DateTimeOffset AsTimestamp() => _kind == ValueKind.Timestamp ? (DateTimeOffset)_ref! : throw WrongKind(ValueKind.Timestamp);

    public bool TryGetNumber(out double number)
    {
        number = _number;
        return IsNumber;
    }

    public bool TryGetBool(out bool flag)
    {
        flag = _number != 0;
        return _kind == ValueKind.Bool;
    }

    public bool TryGetString([NotNullWhen(true)] out string? text)
    {
        text = _ref as string;
        return _kind == ValueKind.String;
    }

    public bool TryGetArray([NotNullWhen(true)] out ValueArray? array)
    {
        array = _ref as ValueArray;
        return _kind == ValueKind.Array;
    }

    public bool TryGetObject([NotNullWhen(true)] out ValueObject? obj)
    {
        obj = _ref as ValueObject;
        return _kind == ValueKind.Object;
    }

    /// <summary>The Go type name the original engine printed for this value (workflow-format.md §13.5).</summary>
    public string GoTypeName => _kind switch
    {
        ValueKind.Null => "<nil>",
        ValueKind.Bool => "bool",
        ValueKind.Number => "float64",
        ValueKind.Integer => "int",
        ValueKind.String => "string",
        ValueKind.Array => ((ValueArray)_ref!).IsRecordList ? "[]map[string]interface {}" : "[]interface {}",
        ValueKind.Object => "map[string]interface {}",
        ValueKind.Timestamp => "time.Time",
        _ => "unknown",
    };

    /// <summary>Deep structural equality; numbers compare by value whatever their kind.</summary>
    public bool Equals(Value other)
    {
        if (IsNumber && other.IsNumber) return _number.Equals(other._number);
        if (_kind != other._kind) return false;
        return _kind switch
        {
            ValueKind.Null => true,
            ValueKind.Bool => _number == other._number,
            ValueKind.String => string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal),
            ValueKind.Array => ((ValueArray)_ref!).Equals((ValueArray)other._ref!),
            ValueKind.Object => ((ValueObject)_ref!).Equals((ValueObject)other._ref!),
            ValueKind.Timestamp => ((DateTimeOffset)_ref!).Equals((DateTimeOffset)other._ref!),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => _kind switch
    {
        ValueKind.Null => 0,
        ValueKind.Bool or ValueKind.Number or ValueKind.Integer => _number.GetHashCode(),
        _ => _ref!.GetHashCode(),
    };

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    /// <summary>Compact JSON text of the value (for messages, tests and debugging).</summary>
    public override string ToString() => ValueJson.Serialize(this);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidOperationException WrongKind(ValueKind wanted) =>
        new($"value is {_kind}, not {wanted}");
}
