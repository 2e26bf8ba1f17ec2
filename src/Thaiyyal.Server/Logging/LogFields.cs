using System.Collections;

namespace Thaiyyal.Server.Logging;

/// <summary>
/// A log record whose message is fixed text and whose attributes are named fields, as in the original's
/// <c>slog</c> records (<c>msg</c> = "workflow execution completed successfully", <c>duration_ms</c> = 150).
/// </summary>
public readonly struct LogFields(string message, (string Key, object? Value)[] fields) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string Message { get; } = message;

    public int Count => fields.Length + 1;

    /// <summary>The attributes without the message entry, for formatters that read the record in place.</summary>
    internal ReadOnlySpan<(string Key, object? Value)> Pairs => fields;

    public KeyValuePair<string, object?> this[int index] =>
        index < fields.Length
            ? new KeyValuePair<string, object?>(fields[index].Key, fields[index].Value)
            : new KeyValuePair<string, object?>("{OriginalFormat}", Message);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;
}

/// <summary>Writes <see cref="LogFields"/> records.</summary>
public static class LoggerFieldsExtensions
{
    /// <summary>
    /// Logs <paramref name="message"/> with flat attribute fields. The fields arrive on the caller's stack, so a record
    /// whose level is off costs no allocation beyond boxing its value-type fields; an enabled one copies them.
    /// </summary>
    public static void Fields(this ILogger logger, LogLevel level, string message, params ReadOnlySpan<(string Key, object? Value)> fields)
    {
        if (!logger.IsEnabled(level)) return;
        logger.Log(level, default, new LogFields(message, fields.ToArray()), null, static (state, _) => state.Message);
    }
}
