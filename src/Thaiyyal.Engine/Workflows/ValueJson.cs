using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Thaiyyal.Engine.Workflows;

/// <summary>Reads JSON into <see cref="Value"/>s and writes them back with the original engine's conventions.</summary>
public static class ValueJson
{
    /// <summary>Default nesting limit for JSON read by the engine (payloads, HTTP bodies, parse input).</summary>
    public const int DefaultMaxDepth = 128;

    /// <summary>Writer options used for every engine output: raw non-ASCII, no indentation.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Parses one JSON document. Throws <see cref="JsonException"/> for malformed or too-deep input.</summary>
    public static Value Parse(ReadOnlySpan<byte> utf8Json) => Parse(utf8Json, DefaultMaxDepth, 0, 0);

    /// <summary>Parses one JSON document no deeper than <paramref name="maxDepth"/>.</summary>
    public static Value Parse(ReadOnlySpan<byte> utf8Json, int maxDepth) => Parse(utf8Json, maxDepth, 0, 0);

    /// <summary>Parses one JSON document within array and string limits (see <see cref="Read(ref Utf8JsonReader, int, int)"/>).</summary>
    public static Value Parse(ReadOnlySpan<byte> utf8Json, int maxDepth, int maxArrayLength, int maxStringBytes)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read()) throw new JsonException("unexpected end of JSON input");
        var value = Read(ref reader, maxArrayLength, maxStringBytes);
        if (reader.Read()) throw new JsonException($"invalid character after top-level value at byte {reader.TokenStartIndex}");
        return value;
    }

    /// <summary>Parses one JSON document from text.</summary>
    public static Value Parse(string json) => Parse(Encoding.UTF8.GetBytes(json), DefaultMaxDepth);

    /// <summary>Parses one JSON document from text, no deeper than <paramref name="maxDepth"/>.</summary>
    public static Value Parse(string json, int maxDepth) => Parse(Encoding.UTF8.GetBytes(json), maxDepth);

    /// <summary>Reads the value at the reader's current token, leaving the reader on its last token.</summary>
    public static Value Read(ref Utf8JsonReader reader) => Read(ref reader, 0, 0);

    /// <summary>
    /// Reads like <see cref="Read(ref Utf8JsonReader)"/> but stops with an <see cref="Execution.ExecutionLimitException"/>
    /// as soon as an array passes <paramref name="maxArrayLength"/> elements or a string <paramref name="maxStringBytes"/>
    /// UTF-8 bytes (0: no limit), so an oversized document is refused before it is materialised.
    /// </summary>
    public static Value Read(ref Utf8JsonReader reader, int maxArrayLength, int maxStringBytes)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return Value.Null;
            case JsonTokenType.True: return Value.True;
            case JsonTokenType.False: return Value.False;
            case JsonTokenType.Number: return Value.From(FiniteNumber(ref reader));
            case JsonTokenType.String: return Value.From(LimitedString(ref reader, maxStringBytes));
            case JsonTokenType.StartArray:
                {
                    var items = new List<Value>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (maxArrayLength > 0 && items.Count == maxArrayLength)
                            throw new Execution.ExecutionLimitException("array_length", $"array too large: more than {maxArrayLength} elements (limit: {maxArrayLength})");
                        try
                        {
                            items.Add(Read(ref reader, maxArrayLength, maxStringBytes));
                        }
                        catch (JsonNumberRangeException ex)
                        {
                            throw ex.Inside($"[{items.Count}]");
                        }
                    }
                    return items.Count == 0 ? Value.From(ValueArray.Empty) : Value.From(new ValueArray(items.ToArray()));
                }
            case JsonTokenType.StartObject:
                {
                    // Entries are gathered in a pooled buffer so a small object costs only its two exact arrays.
                    var buffer = ArrayPool<KeyValuePair<string, Value>>.Shared.Rent(8);
                    var count = 0;
                    string[]? firstAlone = null;
                    try
                    {
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var key = KnownStrings.Intern(ref reader, out var alone);
                            if (count == 0) firstAlone = alone;
                            reader.Read();
                            Value value;
                            try
                            {
                                value = Read(ref reader, maxArrayLength, maxStringBytes);
                            }
                            catch (JsonNumberRangeException ex)
                            {
                                throw ex.Inside("." + key);
                            }
                            if (count == buffer.Length)
                            {
                                var bigger = ArrayPool<KeyValuePair<string, Value>>.Shared.Rent(buffer.Length * 2);
                                buffer.AsSpan(0, count).CopyTo(bigger);
                                ArrayPool<KeyValuePair<string, Value>>.Shared.Return(buffer, clearArray: true);
                                buffer = bigger;
                            }
                            buffer[count++] = new(key, value);
                        }
                        // One known key: the shared array of it is the object's keys.
                        return Value.From(count == 1 && firstAlone is not null
                            ? ValueObject.FromDistinct(firstAlone, [buffer[0].Value])
                            : ValueObject.FromEntries(buffer.AsSpan(0, count)));
                    }
                    finally
                    {
                        ArrayPool<KeyValuePair<string, Value>>.Shared.Return(buffer, clearArray: true);
                    }
                }
            default:
                throw new JsonException($"unexpected JSON token {reader.TokenType}");
        }
    }

    // Go's decoder refuses a number a float64 cannot hold; System.Text.Json would give infinity (which prints as null).
    private static double FiniteNumber(ref Utf8JsonReader reader)
    {
        if (reader.TryGetDouble(out var number) && double.IsFinite(number)) return number;
        var text = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray());
        throw new JsonNumberRangeException(text.Length > 40 ? text[..40] + "…" : text, "");
    }

    private static string LimitedString(ref Utf8JsonReader reader, int maxBytes)
    {
        // Known short texts (operation names, field values the descriptors name) are shared, not allocated again.
        var text = KnownStrings.Intern(ref reader);
        if (maxBytes > 0 && (long)text.Length * 3 > maxBytes)
        {
            var bytes = Encoding.UTF8.GetByteCount(text);
            if (bytes > maxBytes) throw new Execution.ExecutionLimitException("string_length", $"string too long: {bytes} bytes (limit: {maxBytes})");
        }
        return text;
    }

    /// <summary>Writes <paramref name="value"/>: sorted object keys, Go number texts, timestamps as RFC 3339 UTC.</summary>
    public static void Write(Utf8JsonWriter writer, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null: writer.WriteNullValue(); break;
            case ValueKind.Bool: writer.WriteBooleanValue(value.AsBool()); break;
            case ValueKind.Number:
            case ValueKind.Integer:
                WriteNumber(writer, value.AsNumber());
                break;
            case ValueKind.String: writer.WriteStringValue(value.AsString()); break;
            case ValueKind.Timestamp:
                Span<char> time = stackalloc char[MaxTimestampLength];
                writer.WriteStringValue(time[..FormatTimestamp(value.AsTimestamp(), time)]);
                break;
            case ValueKind.Array:
                var items = value.AsArray().AsSpan();
                if (TryWriteWholeNumbers(writer, items)) break;
                writer.WriteStartArray();
                foreach (var item in items) Write(writer, item);
                writer.WriteEndArray();
                break;
            case ValueKind.Object:
                var obj = value.AsObject();
                writer.WriteStartObject();
                foreach (var key in obj.SortedKeys)
                {
                    writer.WritePropertyName(key);
                    Write(writer, obj[key]);
                }
                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>Writes a number as the original did; NaN and infinities (not JSON) become <c>null</c>.</summary>
    public static void WriteNumber(Utf8JsonWriter writer, double number)
    {
        if (double.IsNaN(number) || double.IsInfinity(number))
        {
            writer.WriteNullValue();
            return;
        }
        if (IsWrittenAsInteger(number))
        {
            writer.WriteNumberValue((long)number);
            return;
        }
        writer.WriteRawValue(Compatibility.GoFloatText.ToJson(number), skipInputValidation: true);
    }

    /// <summary>A whole number below 10^15 in magnitude: <see cref="WriteNumber"/> writes it as an integer (false for NaN and infinities).</summary>
    private static bool IsWrittenAsInteger(double number) => number == Math.Floor(number) && Math.Abs(number) < 1e15;

    /// <summary>Arrays of at most this many whole numbers are written in one piece by <see cref="TryWriteWholeNumbers"/>.</summary>
    private const int WholeNumberArrayLimit = 1 << 16;

    /// <summary>
    /// An array whose every element is a whole number that <see cref="WriteNumber"/> writes as an integer (ranges,
    /// indices, counts, most mapped numbers) formatted into one buffer and written as one raw value: the same text as
    /// element by element, without the writer's work per value. False, having written nothing, for any other array.
    /// </summary>
    private static bool TryWriteWholeNumbers(Utf8JsonWriter writer, ReadOnlySpan<Value> items)
    {
        if (items.Length < 2 || items.Length > WholeNumberArrayLimit) return false;
        foreach (var item in items)
        {
            if (!item.IsNumber || !IsWrittenAsInteger(item.AsNumber())) return false;
        }
        // "-999999999999999," is the longest element: 17 bytes.
        var buffer = ArrayPool<byte>.Shared.Rent(items.Length * 17 + 2);
        try
        {
            var span = buffer.AsSpan();
            span[0] = (byte)'[';
            var at = 1;
            foreach (var item in items)
            {
                if (at > 1) span[at++] = (byte)',';
                ((long)item.AsNumber()).TryFormat(span[at..], out var written, default, CultureInfo.InvariantCulture);
                at += written;
            }
            span[at++] = (byte)']';
            writer.WriteRawValue(span[..at], skipInputValidation: true);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The longest text <see cref="FormatTimestamp(DateTimeOffset, Span{char})"/> writes: <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</summary>
    public const int MaxTimestampLength = 28;

    // The round-trip form ("O") of a UTC time is yyyy-MM-ddTHH:mm:ss.fffffffZ: its fraction always ends here.
    private const int FractionEnd = 27;

    /// <summary>RFC 3339 with nanosecond precision, trailing zeros trimmed, always UTC (§13.4 recommendation).</summary>
    public static string FormatTimestamp(DateTimeOffset time)
    {
        Span<char> text = stackalloc char[MaxTimestampLength];
        return new string(text[..FormatTimestamp(time, text)]);
    }

    /// <summary>
    /// Writes <see cref="FormatTimestamp(DateTimeOffset)"/>'s text into <paramref name="destination"/> (at least
    /// <see cref="MaxTimestampLength"/> characters) and returns its length: no string is made.
    /// </summary>
    public static int FormatTimestamp(DateTimeOffset time, Span<char> destination)
    {
        if (!time.UtcDateTime.TryFormat(destination, out _, "O", CultureInfo.InvariantCulture))
            throw new ArgumentException($"at least {MaxTimestampLength} characters are needed", nameof(destination));
        var end = FractionEnd;
        while (destination[end - 1] == '0') end--;
        if (destination[end - 1] == '.') end--;
        destination[end] = 'Z';
        return end + 1;
    }

    /// <summary>Compact JSON text of a value.</summary>
    public static string Serialize(Value value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) Write(writer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>A JSON number outside the range of a double (<c>1e999</c>, a 400-digit integer), with where it was.</summary>
internal sealed class JsonNumberRangeException(string number, string path) : JsonException($"number {number} is out of range{(path.Length > 0 ? " at " + path : "")}")
{
    /// <summary>The number's text (shortened when long).</summary>
    public string Number { get; } = number;

    /// <summary>Where it was below the value being read: <c>.value</c>, <c>[3].price</c>.</summary>
    public string PathText { get; } = path;

    /// <summary>The same error one level further out.</summary>
    public JsonNumberRangeException Inside(string step) => new(Number, step + PathText);
}
