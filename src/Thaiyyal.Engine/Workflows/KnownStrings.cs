using System.Text;
using System.Text.Json;

namespace Thaiyyal.Engine.Workflows;

/// <summary>
/// Returns shared string instances for the short names payloads repeat (node types, data keys), so reading
/// a payload does not allocate the same few strings again for every node.
/// </summary>
internal static class KnownStrings
{
    private static readonly string[] Names =
    [
        "value", "text", "boolean_value", "date_value", "datetime_value", "mode", "op", "text_op", "separator", "repeat_n", "url",
        "condition", "true_path", "false_path", "expression", "initial_value", "var_name", "var_op", "field", "fields", "transform_type",
        "accum_op", "counter_op", "cases", "join_strategy", "paths", "duration", "cache_op", "cache_key", "ttl", "context_name",
        "context_values", "max_attempts", "backoff_strategy", "fallback_value", "continue_on_error", "timeout", "timeout_action",
        "label", "input_type", "output_type", "start", "end", "step", "count", "size", "order", "key", "name", "type", "id",
        "number", "text_input", "boolean_input", "date_input", "datetime_input", "http", "visualization", "renderer", "filter",
        "for_each", "while_loop", "switch", "operation", "text_operation", "transform", "parse", "extract", "parallel", "join",
        "split", "variable", "accumulator", "counter", "cache", "retry", "try_catch", "delay", "map", "reduce", "slice", "sort",
        "find", "flat_map", "group_by", "unique", "chunk", "reverse", "partition", "zip", "sample", "range", "transpose",
        "compact", "format", "rate_limiter", "throttle", "schema_validator", "context_variable", "context_constant",
        "add", "subtract", "multiply", "divide", "true", "false", "default", "output_path", "is_default", "item", "index",
    ];

    // Bucketed by UTF-8 length so a look-up compares against a few candidates at most.
    private static readonly (byte[] Utf8, string Text)[][] ByLength = Build();

    private static (byte[], string)[][] Build()
    {
        var max = Names.Max(n => n.Length);
        var buckets = new List<(byte[], string)>[max + 1];
        for (var i = 0; i <= max; i++) buckets[i] = [];
        foreach (var name in Names.Distinct()) buckets[name.Length].Add((Encoding.UTF8.GetBytes(name), name));
        return [.. buckets.Select(b => b.ToArray())];
    }

    /// <summary>The reader's current string or property name, shared when it is a known name.</summary>
    public static string Intern(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            var span = reader.ValueSpan;
            if (span.Length < ByLength.Length)
            {
                foreach (var (utf8, text) in ByLength[span.Length])
                {
                    if (span.SequenceEqual(utf8)) return text;
                }
            }
        }
        return reader.GetString()!;
    }
}
