using System.Buffers;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Thaiyyal.Server.Logging;

/// <summary>Options of <see cref="GoStyleConsoleFormatter"/>.</summary>
public sealed class GoStyleConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>One JSON object per line (true) or <c>time level msg key=value</c> text.</summary>
    public bool Json { get; set; } = true;
}

/// <summary>
/// One record per line in the shape of the original's Go <c>slog</c> JSON handler (operations.md §5.1):
/// <c>time</c> (RFC 3339, nanosecond fraction, local offset), <c>level</c> (<c>DEBUG</c>/<c>INFO</c>/<c>WARN</c>/<c>ERROR</c>),
/// <c>msg</c>, then the record's attributes as flat keys, then <c>trace_id</c>/<c>span_id</c> of the current activity
/// and <c>request_id</c> inside a request. Durations print as integer nanoseconds, like slog.
/// </summary>
public sealed class GoStyleConsoleFormatter(IOptionsMonitor<GoStyleConsoleFormatterOptions> options)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "thaiyyal";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;
        var fields = new List<KeyValuePair<string, object?>>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { "time", "level", "msg" };
        if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> state)
        {
            foreach (var pair in state)
            {
                if (pair.Key == "{OriginalFormat}" || !seen.Add(pair.Key)) continue;
                fields.Add(pair);
            }
        }
        if (logEntry.Exception is { } exception && seen.Add("error")) fields.Add(new("error", exception.Message));
        if (!logEntry.Category.StartsWith("Thaiyyal", StringComparison.Ordinal) && seen.Add("logger")) fields.Add(new("logger", logEntry.Category));
        if (Activity.Current is { } activity)
        {
            if (seen.Add("trace_id")) fields.Add(new("trace_id", activity.TraceId.ToHexString()));
            if (seen.Add("span_id")) fields.Add(new("span_id", activity.SpanId.ToHexString()));
        }
        scopeProvider?.ForEachScope((scope, list) =>
        {
            if (scope is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
            foreach (var pair in pairs)
            {
                if (pair.Key == "RequestId" && seen.Add("request_id")) list.Add(new("request_id", pair.Value));
            }
        }, fields);

        var time = GoTime.Format(DateTimeOffset.Now);
        var level = LevelText(logEntry.LogLevel);
        if (options.CurrentValue.Json) WriteJson(textWriter, time, level, message ?? "", fields);
        else WriteText(textWriter, time, level, message ?? "", fields);
    }

    /// <summary>Go's <c>DEBUG</c>/<c>INFO</c>/<c>WARN</c>/<c>ERROR</c>.</summary>
    public static string LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        _ => "ERROR",
    };

    private static void WriteJson(TextWriter output, string time, string level, string message, List<KeyValuePair<string, object?>> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("time", time);
            json.WriteString("level", level);
            json.WriteString("msg", message);
            foreach (var (key, value) in fields)
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }
            json.WriteEndObject();
        }
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Write('\n');
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
            case DateTimeOffset dto: json.WriteStringValue(GoTime.Format(dto)); break;
            case DateTime dt: json.WriteStringValue(GoTime.Format(new DateTimeOffset(dt))); break;
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

    private static void WriteText(TextWriter output, string time, string level, string message, List<KeyValuePair<string, object?>> fields)
    {
        var line = new StringBuilder(128).Append("time=").Append(time).Append(" level=").Append(level).Append(" msg=").Append(Quote(message));
        foreach (var (key, value) in fields)
        {
            line.Append(' ').Append(key).Append('=');
            line.Append(value switch
            {
                string s => Quote(s),
                _ => Quote(PlainText(value)),
            });
        }
        output.Write(line.Append('\n').ToString());
    }

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
