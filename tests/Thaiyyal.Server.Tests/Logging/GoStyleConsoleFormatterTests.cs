using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Thaiyyal.Server.Logging;

namespace Thaiyyal.Server.Tests.Logging;

public sealed class GoStyleConsoleFormatterTests
{
    private static string Format(LogLevel level, LogFields state, bool json = true, Exception? exception = null, string category = "Thaiyyal.Server")
    {
        var output = new ArrayBufferWriter<byte>();
        return GoStyleRecord.Write(output, json, level, category, state, exception, static (s, _) => s.Message, null)
            ? Encoding.UTF8.GetString(output.WrittenSpan) : "";
    }

    [Fact]
    public void Writes_one_json_object_per_line_with_time_level_msg_then_fields()
    {
        var line = Format(LogLevel.Information, new LogFields("workflow execution completed successfully",
            [("workflow_id", "wf-123"), ("execution_id", "exec-abc"), ("duration_ms", 150L), ("nodes_executed", 5)]));
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Single(line.TrimEnd('\n').Split('\n'));
        var record = JsonNode.Parse(line)!.AsObject();
        Assert.Equal(["time", "level", "msg", "workflow_id", "execution_id", "duration_ms", "nodes_executed"], record.Select(p => p.Key));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?(Z|[+-]\d\d:\d\d)$", record["time"]!.GetValue<string>());
        Assert.Equal("INFO", record["level"]!.GetValue<string>());
        Assert.Equal("workflow execution completed successfully", record["msg"]!.GetValue<string>());
        Assert.Equal(150, record["duration_ms"]!.GetValue<long>());
        Assert.Equal(5, record["nodes_executed"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(LogLevel.Trace, "DEBUG")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    [InlineData(LogLevel.Information, "INFO")]
    [InlineData(LogLevel.Warning, "WARN")]
    [InlineData(LogLevel.Error, "ERROR")]
    [InlineData(LogLevel.Critical, "ERROR")]
    public void Levels_use_go_names(LogLevel level, string text)
    {
        Assert.Equal(text, JsonNode.Parse(Format(level, new LogFields("m", [])))!["level"]!.GetValue<string>());
    }

    [Fact]
    public void Durations_are_nanoseconds_and_exceptions_become_the_error_field()
    {
        var record = JsonNode.Parse(Format(LogLevel.Error, new LogFields("workflow execution timeout", [("timeout", TimeSpan.FromSeconds(1.5))]),
            exception: new InvalidOperationException("boom")))!;
        Assert.Equal(1_500_000_000, record["timeout"]!.GetValue<long>());
        Assert.Equal("boom", record["error"]!.GetValue<string>());
    }

    [Fact]
    public void Records_inside_an_activity_carry_its_trace_and_span_ids()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var record = JsonNode.Parse(Format(LogLevel.Information, new LogFields("http request", [])))!;
        Assert.Equal(activity.TraceId.ToHexString(), record["trace_id"]!.GetValue<string>());
        Assert.Equal(activity.SpanId.ToHexString(), record["span_id"]!.GetValue<string>());
    }

    [Fact]
    public void Framework_records_name_their_logger()
    {
        var record = JsonNode.Parse(Format(LogLevel.Warning, new LogFields("x", []), category: "Microsoft.AspNetCore.Server.Kestrel"))!;
        Assert.Equal("Microsoft.AspNetCore.Server.Kestrel", record["logger"]!.GetValue<string>());
    }

    [Fact]
    public void Text_format_is_key_value()
    {
        var line = Format(LogLevel.Information, new LogFields("http request", [("method", "GET"), ("status_code", 200), ("path", "/a b")]), json: false);
        Assert.Matches("^time=\\S+ level=INFO msg=\"http request\" method=GET status_code=200 path=\"/a b\"\n$", line);
    }

    [Fact]
    public void Text_format_prints_lists_and_maps_as_go_does_not_their_type_names()
    {
        IReadOnlyList<KeyValuePair<string, object?>> sources = [new("port", "flag"), new("data-dir", "env")];
        var line = Format(LogLevel.Information, new LogFields("effective configuration", [("sources", sources), ("order", new[] { "a", "b" }), ("empty", Array.Empty<int>())]), json: false);
        Assert.EndsWith("msg=\"effective configuration\" sources=\"map[data-dir:env port:flag]\" order=\"[a b]\" empty=[]\n", line, StringComparison.Ordinal);
    }
}
