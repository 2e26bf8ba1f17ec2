using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Thaiyyal.Server.Tests.Support;

/// <summary>
/// A logger provider that keeps every record an in-process server writes (its level, message and fields), added beside
/// the server's own with <c>services.AddSingleton&lt;ILoggerProvider&gt;(log)</c>.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<Record> _records = new();

    public sealed record Record(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);

    public IReadOnlyList<Record> Records => [.. _records];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Where(p => p.Key != "{OriginalFormat}").ToDictionary(p => p.Key, p => p.Value)
                : [];
            log._records.Enqueue(new Record(logLevel, formatter(state, exception), fields));
        }
    }
}
