using System.Buffers;
using Microsoft.Extensions.Options;

namespace Thaiyyal.Server.Logging;

/// <summary>
/// The server's logger: each record is formatted by <see cref="GoStyleRecord"/> on the logging thread into that
/// thread's reusable UTF-8 buffer and handed to one <see cref="LogLineWriter"/> on standard output. It replaces
/// .NET's console logger, whose single queue lock and one write call per record made request threads wait
/// (docs/performance.md, "Where the time goes"). Level filtering is the logging factory's, as for any provider.
/// </summary>
[ProviderAlias("Console")]
public sealed class GoStyleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    private readonly LogLineWriter _writer;
    private readonly bool _json;
    private IExternalScopeProvider? _scopes;

    public GoStyleLoggerProvider(IOptions<GoStyleConsoleFormatterOptions> options)
        : this(Console.OpenStandardOutput(), options.Value.Json)
    {
    }

    public GoStyleLoggerProvider(Stream output, bool json)
    {
        _writer = new LogLineWriter(output);
        _json = json;
        // A host that is not disposed (a crash in start-up code, Environment.Exit) still writes what was queued.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public ILogger CreateLogger(string categoryName) => new GoStyleLogger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    private void OnProcessExit(object? sender, EventArgs e) => _writer.Dispose();

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _writer.Dispose();
    }

    private void Write<TState>(string category, LogLevel level, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        if (GoStyleRecord.Write(buffer, _json, level, category, state, exception, formatter, _scopes))
            _writer.Write(buffer.WrittenSpan);
        // One huge record should not pin its buffer on this thread for good.
        if (buffer.Capacity > 64 * 1024) t_buffer = null;
    }

    private sealed class GoStyleLogger(string category, GoStyleLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel != LogLevel.None) provider.Write(category, logLevel, state, exception, formatter);
        }
    }
}
