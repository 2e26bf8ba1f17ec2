using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Thaiyyal.Server.Logging;

namespace Thaiyyal.Server.Tests.Logging;

public sealed class GoStyleLoggerProviderTests
{
    [Fact]
    public void Every_line_from_many_threads_is_written_by_dispose_in_each_threads_order()
    {
        var output = new MemoryStream();
        const int threads = 4, perThread = 5_000;
        using (var provider = new GoStyleLoggerProvider(output, json: true))
        {
            var logger = provider.CreateLogger("Thaiyyal.Server");
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (var i = 0; i < perThread; i++)
                    logger.Fields(LogLevel.Information, "http request", ("thread", t), ("seq", i));
            });
        }
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(threads * perThread, lines.Length);
        var next = new int[threads];
        foreach (var line in lines)
        {
            var record = JsonNode.Parse(line)!;
            var t = record["thread"]!.GetValue<int>();
            Assert.Equal(next[t]++, record["seq"]!.GetValue<int>());
        }
        Assert.All(next, n => Assert.Equal(perThread, n));
    }

    [Fact]
    public void Records_carry_the_request_id_of_the_enclosing_scope_and_the_text_format_is_key_value()
    {
        var output = new MemoryStream();
        // A provider given to the factory as an instance is not disposed with it, so dispose it here (which writes).
        using (var provider = new GoStyleLoggerProvider(output, json: false))
        using (var factory = LoggerFactory.Create(b => b.AddProvider(provider)))
        {
            var logger = factory.CreateLogger("Thaiyyal.Server");
            using (logger.BeginScope(new[] { new KeyValuePair<string, object?>("RequestId", "req-7") }))
                logger.Fields(LogLevel.Warning, "http request", ("status_code", 429));
        }
        Assert.Matches("^time=\\S+ level=WARN msg=\"http request\" status_code=429 request_id=req-7\n$", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void Long_and_short_lines_alternate_intact()
    {
        var output = new MemoryStream();
        var longText = new string('x', 5_000);
        using (var provider = new GoStyleLoggerProvider(output, json: true))
        {
            var logger = provider.CreateLogger("Thaiyyal.Server");
            for (var i = 0; i < 200; i++) logger.Fields(LogLevel.Information, "m", ("i", i), ("text", i % 2 == 0 ? longText : "short"));
        }
        var records = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(Enumerable.Range(0, 200), records.Select(r => r["i"]!.GetValue<int>()));
        Assert.All(records, r => Assert.Equal(r["i"]!.GetValue<int>() % 2 == 0 ? longText : "short", r["text"]!.GetValue<string>()));
    }

    [Fact]
    public void Lines_logged_after_dispose_are_still_written()
    {
        var output = new MemoryStream();
        var provider = new GoStyleLoggerProvider(output, json: true);
        var logger = provider.CreateLogger("Microsoft.Hosting.Lifetime");
        provider.Dispose();
        logger.Fields(LogLevel.Information, "late", ("n", 1));
        var record = JsonNode.Parse(Encoding.UTF8.GetString(output.ToArray()))!;
        Assert.Equal("late", record["msg"]!.GetValue<string>());
        Assert.Equal("Microsoft.Hosting.Lifetime", record["logger"]!.GetValue<string>());
    }
}
