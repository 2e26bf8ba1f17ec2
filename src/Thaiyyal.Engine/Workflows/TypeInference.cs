namespace Thaiyyal.Engine.Workflows;

/// <summary>Infers a node's type from its data keys when <c>type</c> is missing (workflow-format.md §2.1).</summary>
public static class TypeInference
{
    /// <summary>The inferred type, or <c>""</c> when no rule matches.</summary>
    public static string Infer(ValueObject data)
    {
        bool Has(string key) => data.ContainsKey(key);

        if (Has("value")) return "number";
        if (Has("text")) return "text_input";
        if (Has("boolean_value")) return "boolean_input";
        if (Has("date_value")) return "date_input";
        if (Has("datetime_value")) return "datetime_input";
        if (Has("mode")) return "visualization";
        if (Has("op")) return "operation";
        if (Has("text_op")) return "text_operation";
        if (Has("url")) return "http";
        if (Has("condition")) return Has("true_path") ? "condition" : "filter";
        if (Has("expression"))
        {
            if (Has("initial_value")) return "reduce";
            if (data["expression"].TryGetString(out var e) && e.Length > 0) return "expression";
        }
        if (Has("var_name") && Has("var_op")) return "variable";
        if (Has("field") || Has("fields")) return "extract";
        if (Has("transform_type")) return "transform";
        if (Has("accum_op")) return "accumulator";
        if (Has("counter_op")) return "counter";
        if (Has("cases")) return "switch";
        if (Has("join_strategy")) return "join";
        if (Has("paths")) return "split";
        if (Has("duration")) return "delay";
        if (Has("cache_op") && Has("cache_key")) return "cache";
        if (Has("context_name") || Has("context_values")) return "context_variable";
        if (Has("max_attempts") || Has("backoff_strategy")) return "retry";
        if (Has("fallback_value") || Has("continue_on_error")) return "try_catch";
        if (Has("timeout") && Has("timeout_action")) return "timeout";
        return "";
    }
}
