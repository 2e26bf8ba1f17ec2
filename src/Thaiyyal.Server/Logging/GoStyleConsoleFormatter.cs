using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Thaiyyal.Server.Logging;

/// <summary>Options of <see cref="GoStyleConsoleFormatter"/> and <see cref="GoStyleLoggerProvider"/>.</summary>
public sealed class GoStyleConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>One JSON object per line (true) or <c>time level msg key=value</c> text.</summary>
    public bool Json { get; set; } = true;
}

/// <summary>
/// <see cref="GoStyleRecord"/> as a formatter of .NET's console logger, for hosts that keep that logger. The server
/// itself logs through <see cref="GoStyleLoggerProvider"/>, which writes the same lines without the console
/// logger's per-record queue lock and write call.
/// </summary>
public sealed class GoStyleConsoleFormatter(IOptionsMonitor<GoStyleConsoleFormatterOptions> options)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "thaiyyal";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        if (GoStyleRecord.Write(buffer, options.CurrentValue.Json, logEntry.LogLevel, logEntry.Category, logEntry.State,
                logEntry.Exception, logEntry.Formatter, scopeProvider))
            textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
