namespace Thaiyyal.Engine.Nodes.ArrayOperations;

/// <summary><c>group_by</c>: groups the elements by the text of one field and aggregates each group.</summary>
internal sealed class GroupByNode : ArrayNodeExecutor<GroupByNode.Options>
{
    /// <summary>The grouping field, the aggregate and the field it reads.</summary>
    public sealed record Options(string Field, string Aggregate, string ValueField);

    private static readonly string[] Aggregates = ["count", "sum", "avg", "min", "max", "values"];

    public override NodeDescriptor Descriptor { get; } = new("group_by", NodeCategories.ArrayOperations, "Group By",
        "Groups objects by a field's value and counts, sums, averages or collects each group.",
        [
            new NodeField("field", FieldType.String, "Group by", "The key whose value names each element's group.", Required: true, Default: "category"),
            new NodeField("aggregate", FieldType.String, "Aggregate", "What to compute per group.", Default: "count", Options: Aggregates),
            new NodeField("value_field", FieldType.String, "Value field", "The numeric key that sum, avg, min and max read.", Default: ""),
        ])
    {
        EditorDefaults = ValueObject.Of(("field", "category"), ("aggregate", "count")),
    };

    protected override Options BindOptions(NodeData data)
    {
        var aggregate = data.String("aggregate");
        return new(data.RequiredString("field"), string.IsNullOrEmpty(aggregate) ? "count" : aggregate, data.String("value_field") ?? "");
    }

    protected override Value Execute(ValueArray items, Options options, NodeContext context)
    {
        if (options.Field.Length == 0) throw new NodeExecutionException("group_by node requires 'field' string");
        var aggregateKey = options.Aggregate switch
        {
            "count" => "counts",
            "sum" => "sums",
            "avg" => "averages",
            "min" => "minimums",
            "max" => "maximums",
            "values" => "values",
            _ => throw new NodeExecutionException($"unknown aggregate function: {options.Aggregate}"),
        };
        var groups = new Dictionary<string, List<Value>>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var key = GroupKey(item, options.Field);
            if (!groups.TryGetValue(key, out var members)) groups[key] = members = [];
            members.Add(item);
        }
        var grouped = new Dictionary<string, Value>(groups.Count, StringComparer.Ordinal);
        var aggregated = new Dictionary<string, Value>(groups.Count, StringComparer.Ordinal);
        foreach (var (key, members) in groups)
        {
            var array = new ValueArray([.. members]);
            grouped[key] = array;
            aggregated[key] = Aggregate(options.Aggregate, array, options.ValueField);
        }
        return ValueObject.Of(
            ("groups", new ValueObject(grouped)),
            ("group_count", Value.FromInteger(groups.Count)),
            ("input_count", Value.FromInteger(items.Count)),
            ("field", options.Field),
            ("aggregate", options.Aggregate),
            (aggregateKey, new ValueObject(aggregated)));
    }

    private static string GroupKey(Value item, string field)
    {
        if (!item.TryGetObject(out var obj)) return Compatibility.GoValueText.ToGoString(item);
        return obj.TryGetValue(field, out var value) ? Compatibility.GoValueText.ToGoString(value) : "<missing>";
    }

    private static Value Aggregate(string aggregate, ValueArray members, string valueField)
    {
        if (aggregate == "count") return Value.FromInteger(members.Count);
        if (aggregate == "values") return members;
        var numbers = new List<double>();
        foreach (var member in members)
        {
            if (member.TryGetObject(out var obj) && obj.TryGetValue(valueField, out var v) && v.TryGetNumber(out var n)) numbers.Add(n);
        }
        return aggregate switch
        {
            "sum" => numbers.Sum(),
            "avg" => numbers.Count == 0 ? 0 : numbers.Sum() / numbers.Count,
            "min" => numbers.Count == 0 ? Value.Null : numbers.Min(),
            _ => numbers.Count == 0 ? Value.Null : numbers.Max(),
        };
    }
}
