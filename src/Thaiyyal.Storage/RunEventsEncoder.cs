using System.Text.Json;
using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage;

/// <summary>
/// Writes a finished run's events straight into the stored form of its <c>events_json</c> column, each event's data
/// written by the caller into the same UTF-8 buffer: no JSON text per event, no copy, no escaping (the history
/// writer's cost, docs/performance.md). The data is written with <paramref name="dataOptions"/>, the options the
/// caller uses for the live event stream, so what is read back is the same text byte for byte. One instance serves
/// one thread; <see cref="Start"/> begins a run, <see cref="Finish"/> ends it.
/// </summary>
public sealed class RunEventsEncoder(JsonWriterOptions dataOptions) : IDisposable
{
    private static readonly JsonEncodedText Sequence = JsonEncodedText.Encode("sequence");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode(RunBundleJson.DataRawField);

    private readonly ReusedJsonWriter _text = new(dataOptions, 4096);
    private int _count;

    public void Start()
    {
        _count = 0;
        _text.Start().WriteStartArray();
    }

    /// <summary>Adds one event whose data object's fields <paramref name="fields"/> writes.</summary>
    public void Add<TState>(long sequence, string type, DateTimeOffset timestamp, TState state, Action<Utf8JsonWriter, TState> fields)
    {
        var w = _text.Writer;
        w.WriteStartObject();
        w.WriteNumber(Sequence, sequence);
        w.WriteString(Type, type);
        w.WriteNumber(Timestamp, Micros.From(timestamp));
        w.WritePropertyName(Data);
        w.WriteStartObject();
        fields(w, state);
        w.WriteEndObject();
        w.WriteEndObject();
        _count++;
    }

    /// <summary>The run's events in their stored form.</summary>
    public EncodedRunEvents Finish()
    {
        _text.Writer.WriteEndArray();
        var text = _text.Finish();
        return new EncodedRunEvents(_count == 0 ? null : text, _count);
    }

    public void Dispose() => _text.Dispose();
}

/// <summary>A finished run's events as <see cref="RunEventsEncoder"/> wrote them (the <c>events_json</c> column).</summary>
public sealed class EncodedRunEvents
{
    internal EncodedRunEvents(byte[]? utf8, int count) => (Utf8, Count) = (utf8, count);

    /// <summary>The column's text as UTF-8, as SQLite takes it (a pipeline's answer is kept once, not as UTF-16 too).</summary>
    internal byte[]? Utf8 { get; }

    public int Count { get; }
}
