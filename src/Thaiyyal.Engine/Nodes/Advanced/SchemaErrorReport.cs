using Json.Schema;

namespace Thaiyyal.Engine.Nodes.Advanced;

/// <summary>One validation error in the original's shape: field, error kind, description, offending value.</summary>
internal sealed record SchemaError(string[] Location, string Type, string Description, Value Value)
{
    public Value ToValue() => ValueObject.Of(
        ("field", JsonPointerPath.FieldName(Location)),
        ("type", Type),
        ("description", Description),
        ("value", Value));
}

/// <summary>
/// Turns JsonSchema.Net's hierarchical results into the error list the original's validator (gojsonschema)
/// reported: its error kinds (<c>required</c>, <c>invalid_type</c>, <c>number_gte</c>, …), one <c>required</c>
/// error per missing property at the object's location, a summary error for a failed anyOf/oneOf/allOf/not
/// followed by the closest branch's errors, and errors ordered parent before child.
/// </summary>
internal sealed class SchemaErrorReport(Value schema, Value instance)
{
    private readonly List<SchemaError> _errors = [];

    public IReadOnlyList<SchemaError> Collect(EvaluationResults results)
    {
        Visit(results);
        if (_errors.Count == 0 && !results.IsValid)
            _errors.Add(new SchemaError([], "invalid", "Does not match the schema", instance));
        return [.. _errors.Order(ErrorOrder.Instance)];
    }

    // Per schema node, in the original's order: the type check, the combinators (anyOf, oneOf, allOf, not,
    // if/then/else), the node's other keywords, then the children (properties, items, ...).
    private void Visit(EvaluationResults node)
    {
        if (node.IsValid) return;
        var own = node.Errors ?? EmptyErrors;
        if (own.TryGetValue("type", out var typeMessage)) AddKeywordErrors(node, "type", typeMessage);
        var evaluationDepth = JsonPointerPath.Segments(node.EvaluationPath.ToString()).Length;
        var groups = (node.Details ?? [])
            .GroupBy(d => JsonPointerPath.Segments(d.EvaluationPath.ToString()).Skip(evaluationDepth).FirstOrDefault() ?? "")
            .ToList();
        var location = Location(node);
        foreach (var group in groups.Where(g => Combinators.Contains(g.Key))) VisitCombinator(location, group.Key, [.. group]);
        foreach (var (keyword, message) in own.Where(e => e.Key != "type")) AddKeywordErrors(node, keyword, message);
        foreach (var group in groups.Where(g => !Combinators.Contains(g.Key)))
        {
            switch (group.Key)
            {
                case "additionalProperties":
                    foreach (var child in group) AdditionalProperty(location, child);
                    break;
                case "propertyNames":
                    foreach (var child in group.Where(c => !c.IsValid))
                    {
                        var name = Location(child).LastOrDefault() ?? "";
                        Add(location, "invalid_property_name", $"Property name of \"{name}\" does not match");
                    }
                    break;
                case "contains":
                    break;
                default:
                    foreach (var child in group) Visit(child);
                    break;
            }
        }
    }

    private static readonly HashSet<string> Combinators = ["anyOf", "oneOf", "allOf", "not", "if", "then", "else"];

    private void VisitCombinator(string[] location, string keyword, List<EvaluationResults> children)
    {
        switch (keyword)
        {
            case "anyOf" when children.All(c => !c.IsValid):
                Summary(location, "number_any_of", "Must validate at least one schema (anyOf)", Closest(children));
                break;
            case "oneOf" when children.Count(c => c.IsValid) != 1:
                Summary(location, "number_one_of", "Must validate one and only one schema (oneOf)", children.Any(c => c.IsValid) ? null : Closest(children));
                break;
            case "allOf" when children.Any(c => !c.IsValid):
                Add(location, "number_all_of", "Must validate all the schemas (allOf)");
                foreach (var child in children) Visit(child);
                break;
            case "not" when children.Any(c => c.IsValid):
                Add(location, "number_not", "Must not validate the schema (not)");
                break;
            case "then" or "else" when children.Any(c => !c.IsValid):
                Add(location, $"condition_{keyword}", $"Must validate \"{keyword}\" as \"if\" was {(keyword == "then" ? "valid" : "not valid")}");
                foreach (var child in children) Visit(child);
                break;
        }
    }

    private void Summary(string[] location, string type, string description, EvaluationResults? closest)
    {
        Add(location, type, description);
        if (closest is not null) Visit(closest);
    }

    // The branch the input came closest to is the one the author most likely meant (gojsonschema kept the
    // best-scoring branch): a branch whose type matched beats one whose type did not, then fewer errors win.
    private static EvaluationResults? Closest(List<EvaluationResults> branches) =>
        branches.Where(b => !b.IsValid)
            .OrderBy(b => b.Errors?.ContainsKey("type") == true ? 1 : 0)
            .ThenBy(CountErrors)
            .FirstOrDefault();

    private static int CountErrors(EvaluationResults node) =>
        (node.Errors?.Count ?? 0) + (node.Details ?? []).Sum(CountErrors);

    private void AdditionalProperty(string[] objectLocation, EvaluationResults child)
    {
        if (child.IsValid) return;
        if (child.Errors is { } errors && errors.ContainsKey(""))
        {
            var property = Location(child);
            var name = property.LastOrDefault() ?? "";
            _errors.Add(new SchemaError(objectLocation, "additional_property_not_allowed", $"Additional property {name} is not allowed", ValueAt(property)));
            return;
        }
        Visit(child);
    }

    private void AddKeywordErrors(EvaluationResults node, string keyword, string message)
    {
        var location = Location(node);
        var here = ValueAt(location);
        var field = JsonPointerPath.FieldName(location);
        var setting = SchemaKeyword(node, keyword);
        var text = setting.IsNull ? "" : Compatibility.GoValueText.ToGoString(setting);
        switch (keyword)
        {
            case "type":
                Add(location, "invalid_type", $"Invalid type. Expected: {TypeList(setting)}, given: {JsonType(here)}");
                break;
            case "required":
                var obj = here.TryGetObject(out var o) ? o : ValueObject.Empty;
                var missing = setting.TryGetArray(out var names) ? names.Where(n => n.IsString && !obj.ContainsKey(n.AsString())).Select(n => n.AsString()).ToList() : [];
                if (missing.Count == 0) Add(location, "required", message);
                foreach (var name in missing) Add(location, "required", $"{name} is required");
                break;
            case "dependencies" or "dependentRequired":
                MissingDependencies(location, here, setting);
                break;
            case "dependentSchemas":
                // Summarises the dependent schemas that failed; their own errors follow, as the original reported them.
                break;
            case "minProperties": Add(location, "array_min_properties", $"Must have at least {text} properties"); break;
            case "maxProperties": Add(location, "array_max_properties", $"Must have at most {text} properties"); break;
            case "minItems": Add(location, "array_min_items", $"Array must have at least {text} items"); break;
            case "maxItems": Add(location, "array_max_items", $"Array must have at most {text} items"); break;
            case "uniqueItems": Add(location, "unique", UniqueDescription(here)); break;
            case "contains": Add(location, "array_contains", "At least one of the items must match"); break;
            case "minLength": Add(location, "string_gte", $"String length must be greater than or equal to {text}"); break;
            case "maxLength": Add(location, "string_lte", $"String length must be less than or equal to {text}"); break;
            case "pattern": Add(location, "pattern", $"Does not match pattern '{text}'"); break;
            case "format": Add(location, "format", $"Does not match format '{text}'"); break;
            case "multipleOf": Add(location, "multiple_of", $"Must be a multiple of {text}"); break;
            case "maximum": Add(location, "number_lte", $"Must be less than or equal to {text}"); break;
            case "exclusiveMaximum": Add(location, "number_lt", $"Must be less than {text}"); break;
            case "minimum": Add(location, "number_gte", $"Must be greater than or equal to {text}"); break;
            case "exclusiveMinimum": Add(location, "number_gt", $"Must be greater than {text}"); break;
            case "enum":
                var allowed = setting.TryGetArray(out var options) ? string.Join(", ", options.Select(v => Compatibility.GoJsonText.SerializeOrGeneric(v))) : text;
                Add(location, "enum", $"{field} must be one of the following: {allowed}");
                break;
            case "const": Add(location, "const", $"{field} does not match: {Compatibility.GoJsonText.SerializeOrGeneric(setting)}"); break;
            case "": Add(location, "false", "False always fails validation"); break;
            default: Add(location, keyword, message); break;
        }
    }

    /// <summary>
    /// One <c>missing_dependency</c> per property that a present property names and the object lacks, as the original
    /// reported them. The library's own message lists them in one error, and says nothing of them when a dependent
    /// schema of the same keyword failed too (its errors are reported from the failing schema).
    /// </summary>
    private void MissingDependencies(string[] location, Value here, Value setting)
    {
        if (!here.TryGetObject(out var obj) || !setting.TryGetObject(out var dependencies)) return;
        foreach (var (property, dependency) in dependencies)
        {
            if (!obj.ContainsKey(property) || !dependency.TryGetArray(out var names)) continue;
            foreach (var name in names)
            {
                if (name.TryGetString(out var needed) && !obj.ContainsKey(needed)) Add(location, "missing_dependency", $"Has a dependency on {needed}");
            }
        }
    }

    private void Add(string[] location, string type, string description) =>
        _errors.Add(new SchemaError(location, type, description, ValueAt(location)));

    private Value ValueAt(string[] location) => JsonPointerPath.TryResolve(instance, location, out var v) ? v : Value.Null;

    private static string[] Location(EvaluationResults node) => JsonPointerPath.Segments(node.InstanceLocation.ToString());

    /// <summary>
    /// The keyword's value in the schema object that produced the error, found by walking the evaluation path
    /// through the schema (following local <c>$ref</c>s); null when it cannot be found.
    /// </summary>
    private Value SchemaKeyword(EvaluationResults node, string keyword)
    {
        var current = schema;
        foreach (var segment in JsonPointerPath.Segments(node.EvaluationPath.ToString()))
        {
            if (segment is "$ref" && current.TryGetObject(out var holder) && holder.GetOrNull("$ref").TryGetString(out var reference) && reference.StartsWith('#'))
            {
                if (!JsonPointerPath.TryResolve(schema, JsonPointerPath.Segments(Uri.UnescapeDataString(reference[1..])), out current)) return Value.Null;
                continue;
            }
            // The library escapes a property's name twice in evaluation paths ("a/b" is "a~01b" under properties),
            // once elsewhere (under dependencies): the name as unescaped once, or else twice.
            if (!JsonPointerPath.TryResolve(current, [segment], out var next)
                && !(segment.Contains('~', StringComparison.Ordinal) && JsonPointerPath.TryResolve(current, [JsonPointerPath.Unescape(segment)], out next)))
                return Value.Null;
            current = next;
        }
        return current.TryGetObject(out var obj) ? obj.GetOrNull(keyword) : Value.Null;
    }

    private static string TypeList(Value setting) =>
        setting.TryGetArray(out var types) ? string.Join("/", types.Select(Compatibility.GoValueText.ToGoString)) : Compatibility.GoValueText.ToGoString(setting);

    private static string JsonType(Value value) => value.Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Bool => "boolean",
        ValueKind.Number or ValueKind.Integer => value.AsNumber() == Math.Floor(value.AsNumber()) ? "integer" : "number",
        ValueKind.Array => "array",
        ValueKind.Object => "object",
        _ => "string",
    };

    private static string UniqueDescription(Value array)
    {
        if (array.TryGetArray(out var items))
        {
            for (var j = 1; j < items.Count; j++)
            {
                for (var i = 0; i < j; i++)
                {
                    if (items[i].Equals(items[j])) return $"array items[{i},{j}] must be unique";
                }
            }
        }
        return "array items must be unique";
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyErrors = new Dictionary<string, string>();

    /// <summary>Parent locations before their children, siblings in key (or index) order; a stable sort keeps the rest.</summary>
    private sealed class ErrorOrder : IComparer<SchemaError>
    {
        public static ErrorOrder Instance { get; } = new();

        public int Compare(SchemaError? a, SchemaError? b)
        {
            if (ReferenceEquals(a, b)) return 0;
            if (a is null) return -1;
            if (b is null) return 1;
            var n = Math.Min(a.Location.Length, b.Location.Length);
            for (var i = 0; i < n; i++)
            {
                var c = CompareSegments(a.Location[i], b.Location[i]);
                if (c != 0) return c;
            }
            return a.Location.Length.CompareTo(b.Location.Length);
        }

        private static int CompareSegments(string x, string y) =>
            int.TryParse(x, out var i) && int.TryParse(y, out var j) ? i.CompareTo(j) : string.CompareOrdinal(x, y);
    }
}
