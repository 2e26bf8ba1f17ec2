using System.Buffers;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Thaiyyal.Server.Logging;

/// <summary>
/// Formats one record in the shape of the original's Go <c>slog</c> handlers (operations.md §5.1) straight into a
/// UTF-8 buffer: <c>time</c> (RFC 3339, nanosecond fraction, local offset), <c>level</c>, <c>msg</c>, the record's
/// attributes as flat keys, then <c>error</c> (an exception), <c>logger</c> (framework categories),
/// <c>trace_id</c>/<c>span_id</c> of the current activity and <c>request_id</c> inside a request; a key already
/// present is not written twice. Durations print as integer nanoseconds, like slog. The per-thread scratch objects
/// make a record of <see cref="LogFields"/> cost no allocation beyond what the caller passed in.
/// </summary>
public static class GoStyleRecord
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic] private static List<KeyValuePair<string, object?>>? t_fields;
    [ThreadStatic] private static Utf8JsonWriter? t_json;
    [ThreadStatic] private static StringBuilder? t_text;

    /// <summary>Appends one line (ending in <c>\n</c>) to <paramref name="output"/>; false when the record has neither message nor exception.</summary>
    public static bool Write<TState>(IBufferWriter<byte> output, bool json, LogLevel level, string category, TState state,
        Exception? exception, Func<TState, Exception?, string> formatter, IExternalScopeProvider? scopes)
    {
        var message = formatter(state, exception);
        if (message is null && exception is null) return false;
        var fields = t_fields ??= new List<KeyValuePair<string, object?>>(16);
        fields.Clear();
        try
        {
            CollectFields(fields, state);
            var box = RequestIdBox.Current.Reset();
            scopes?.ForEachScope(static (scope, found) =>
            {
                if (found.Found || scope is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
                foreach (var pair in pairs)
                {
                    if (pair.Key != "RequestId") continue;
                    (found.Found, found.Value) = (true, pair.Value);
                    return;
                }
            }, box);
            var extras = new Extras(
                exception is not null && !Contains(fields, "error") ? exception.Message : null,
                !category.StartsWith("Thaiyyal", StringComparison.Ordinal) && !Contains(fields, "logger") ? category : null,
                Activity.Current is { } activity ? activity : null,
                box.Found && !Contains(fields, "request_id"), box.Value,
                !Contains(fields, "trace_id"), !Contains(fields, "span_id"));
            if (json) WriteJson(output, level, message ?? "", fields, extras);
            else WriteText(output, level, message ?? "", fields, extras);
            return true;
        }
        finally
        {
            fields.Clear();
        }
    }

    /// <summary>Go's <c>DEBUG</c>/<c>INFO</c>/<c>WARN</c>/<c>ERROR</c>.</summary>
    public static string LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        _ => "ERROR",
    };

    private readonly record struct Extras(string? Error, string? Logger, Activity? Activity, bool HasRequestId, object? RequestId, bool TraceId, bool SpanId);

    /// <summary>Holds the scope walk's result without a closure allocation per record.</summary>
    private sealed class RequestIdBox
    {
        [ThreadStatic] private static RequestIdBox? t_current;

        public static RequestIdBox Current => t_current ??= new RequestIdBox();

        public bool Found { get; set; }

        public object? Value { get; set; }

        public RequestIdBox Reset()
        {
            (Found, Value) = (false, null);
            return this;
        }
    }

    private static void CollectFields<TState>(List<KeyValuePair<string, object?>> fields, TState state)
    {
        if (typeof(TState) == typeof(LogFields))
        {
            // Read the struct in place rather than boxing it into an enumerator.
            foreach (var (key, value) in Unsafe.As<TState, LogFields>(ref state).Pairs) Add(fields, key, value);
            return;
        }
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var pair in pairs)
            {
                if (pair.Key != "{OriginalFormat}") Add(fields, pair.Key, pair.Value);
            }
        }
    }

    private static void Add(List<KeyValuePair<string, object?>> fields, string key, object? value)
    {
        if (key is "time" or "level" or "msg" || Contains(fields, key)) return;
        fields.Add(new(key, value));
    }

    private static bool Contains(List<KeyValuePair<string, object?>> fields, string key)
    {
        foreach (var pair in fields)
        {
            if (string.Equals(pair.Key, key, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static void WriteJson(IBufferWriter<byte> output, LogLevel level, string message, List<KeyValuePair<string, object?>> fields, Extras extras)
    {
        var json = t_json;
        if (json is null) t_json = json = new Utf8JsonWriter(output, WriterOptions);
        else json.Reset(output);
        try
        {
            json.WriteStartObject();
            Span<char> time = stackalloc char[Hosting.GoTime.MaxLength];
            json.WriteString("time"u8, time[..Hosting.GoTime.Format(DateTimeOffset.Now, time)]);
            json.WriteString("level"u8, LevelText(level));
            json.WriteString("msg"u8, message);
            foreach (var (key, value) in fields)
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }
            if (extras.Error is not null) json.WriteString("error"u8, extras.Error);
            if (extras.Logger is not null) json.WriteString("logger"u8, extras.Logger);
            if (extras.Activity is { } activity)
            {
                // The ids keep their hex text: no formatting, no allocation.
                if (extras.TraceId) json.WriteString("trace_id"u8, activity.TraceId.ToHexString());
                if (extras.SpanId) json.WriteString("span_id"u8, activity.SpanId.ToHexString());
            }
            if (extras.HasRequestId)
            {
                json.WritePropertyName("request_id"u8);
                WriteValue(json, extras.RequestId);
            }
            json.WriteEndObject();
            json.Flush();
        }
        finally
        {
            json.Reset(Stream.Null);
        }
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case decimal m: json.WriteNumberValue(m); break;
            case short or ushort or uint or ulong or byte or sbyte: json.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!); break;
            case TimeSpan span: json.WriteNumberValue(span.Ticks * 100); break;
            case DateTimeOffset dto: json.WriteStringValue(Hosting.GoTime.Format(dto)); break;
            case DateTime dt: json.WriteStringValue(Hosting.GoTime.Format(new DateTimeOffset(dt))); break;
            case Exception ex: json.WriteStringValue(ex.Message); break;
            case Value v: ValueJson.Write(json, v); break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                json.WriteStartObject();
                foreach (var (k, item) in map)
                {
                    json.WritePropertyName(k);
                    WriteValue(json, item);
                }
                json.WriteEndObject();
                break;
            case IEnumerable list:
                json.WriteStartArray();
                foreach (var item in list) WriteValue(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static void WriteText(IBufferWriter<byte> output, LogLevel level, string message, List<KeyValuePair<string, object?>> fields, Extras extras)
    {
        var line = t_text ??= new StringBuilder(256);
        line.Clear();
        Span<char> time = stackalloc char[Hosting.GoTime.MaxLength];
        line.Append("time=").Append(time[..Hosting.GoTime.Format(DateTimeOffset.Now, time)]).Append(" level=").Append(LevelText(level)).Append(" msg=").Append(Quote(message));
        foreach (var (key, value) in fields) AppendText(line, key, value);
        if (extras.Error is not null) AppendText(line, "error", extras.Error);
        if (extras.Logger is not null) AppendText(line, "logger", extras.Logger);
        if (extras.Activity is { } activity)
        {
            if (extras.TraceId) AppendText(line, "trace_id", activity.TraceId.ToHexString());
            if (extras.SpanId) AppendText(line, "span_id", activity.SpanId.ToHexString());
        }
        if (extras.HasRequestId) AppendText(line, "request_id", extras.RequestId);
        line.Append('\n');
        foreach (var chunk in line.GetChunks())
        {
            var bytes = output.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length));
            output.Advance(Encoding.UTF8.GetBytes(chunk.Span, bytes));
        }
        if (line.Capacity > 64 * 1024) t_text = null;
    }

    private static void AppendText(StringBuilder line, string key, object? value) =>
        line.Append(' ').Append(key).Append('=').Append(Quote(value as string ?? PlainText(value)));

    /// <summary>A value as Go's <c>%+v</c> prints it, which is what slog's text handler shows: lists as <c>[a b]</c>, maps as <c>map[k:v]</c>.</summary>
    private static string PlainText(object? value) => value switch
    {
        null => "<nil>",
        string s => s,
        TimeSpan span => Engine.Compatibility.GoDuration.Format(span),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<KeyValuePair<string, object?>> map => "map[" + string.Join(' ', map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + PlainText(p.Value))) + "]",
        IEnumerable list => "[" + string.Join(' ', list.Cast<object?>().Select(PlainText)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => c > ' ' && c != '"' && c != '=' && c < 0x7f) ? text : JsonSerializer.Serialize(text);
}
