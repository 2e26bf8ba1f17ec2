using Microsoft.Extensions.Logging.Console;

namespace Thaiyyal.Server.Logging;

/// <summary>Options of <see cref="GoStyleLoggerProvider"/>.</summary>
public sealed class GoStyleConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>One JSON object per line (true) or <c>time level msg key=value</c> text.</summary>
    public bool Json { get; set; } = true;
}
