using Microsoft.Extensions.Logging;
using Thaiyyal.Server.Logging;

namespace Thaiyyal.Server.Tests.Logging;

public sealed class LogFieldsTests
{
    private sealed class InfoLogger : ILogger
    {
        public List<(LogLevel Level, string Message, KeyValuePair<string, object?>[] Fields)> Records { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Records.Add((logLevel, formatter(state, exception), [.. (IEnumerable<KeyValuePair<string, object?>>)state!]));
    }

    [Fact]
    public void A_record_below_the_level_allocates_nothing_and_an_enabled_one_keeps_its_fields()
    {
        var logger = new InfoLogger();
        string node = "n1", type = "number";
        logger.Fields(LogLevel.Debug, "warm-up", ("node_id", node));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) logger.Fields(LogLevel.Debug, "node execution started", ("node_id", node), ("node_type", type), ("workflow_id", ""));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        logger.Fields(LogLevel.Information, "workflow execution started", ("node_id", node), ("node_count", 3));

        Assert.Equal(0, allocated);
        var record = Assert.Single(logger.Records);
        Assert.Equal("workflow execution started", record.Message);
        Assert.Equal(["node_id=n1", "node_count=3", "{OriginalFormat}=workflow execution started"], record.Fields.Select(f => $"{f.Key}={f.Value}"));
    }
}
