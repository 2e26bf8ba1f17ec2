using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// <c>GET /api/v1/nodes</c>: the node catalogue the editor renders, generated from the registry's descriptors
/// (custom node types included), so the palette and forms always match what the engine accepts.
/// </summary>
public static class NodeCatalogueEndpoints
{
    public static IEndpointRouteBuilder MapNodeCatalogueApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/nodes", (WorkflowEngine engine) => ApiResults.Json(NodeCatalogue.From(engine.Registry.Descriptors)))
            .WithTags("Nodes")
            .WithName("ListNodeTypes")
            .WithSummary("Every node type with its category, fields, inputs, outputs and editor defaults.")
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        return app;
    }
}

/// <summary>The catalogue: categories in palette order (custom categories appended) and every node type.</summary>
public sealed record NodeCatalogue(IReadOnlyList<string> Categories, IReadOnlyList<NodeTypeEntry> Nodes)
{
    public static NodeCatalogue From(IReadOnlyList<NodeDescriptor> descriptors)
    {
        var categories = new List<string>(NodeCategories.All);
        foreach (var d in descriptors)
        {
            if (!categories.Contains(d.Category)) categories.Add(d.Category);
        }
        return new NodeCatalogue(categories, [.. descriptors.Select(NodeTypeEntry.From)]);
    }
}

/// <summary>One node type as the editor sees it.</summary>
public sealed record NodeTypeEntry(
    string Type,
    string Category,
    string Label,
    string Description,
    IReadOnlyList<NodeFieldEntry> Fields,
    int MinInputs,
    int? MaxInputs,
    IReadOnlyList<NodeOutputEntry> Outputs,
    bool DynamicOutputs,
    bool Scope,
    bool InPalette,
    Value Defaults,
    IReadOnlyList<IReadOnlyList<string>> RequiredGroups,
    IReadOnlyList<string> InferenceKeys,
    int? InferenceRank,
    IReadOnlyList<string> InferenceAlsoRequired,
    bool InferenceNonEmptyString)
{
    public static NodeTypeEntry From(NodeDescriptor d) => new(
        d.Type, d.Category, d.Label, d.Description,
        [.. d.Fields.Select(f => new NodeFieldEntry(f.Name, FieldTypeName(f.Type), f.Label, f.Description, f.Required, f.Default, f.Options))],
        d.MinInputs, d.MaxInputs,
        [.. d.Outputs.Select(o => new NodeOutputEntry(o.Id, o.Label))],
        d.DynamicOutputs, d.IsScope, d.InPalette,
        Value.From(d.NewNodeData),
        d.RequiredGroups,
        d.Inference?.Keys ?? [],
        d.Inference?.Rank,
        d.Inference?.AlsoRequired ?? [],
        d.Inference?.NonEmptyString ?? false);

    public static string FieldTypeName(FieldType type) => type switch
    {
        FieldType.Number => "number",
        FieldType.Integer => "integer",
        FieldType.String => "string",
        FieldType.Boolean => "boolean",
        FieldType.Expression => "expression",
        FieldType.Duration => "duration",
        FieldType.Array => "array",
        FieldType.StringArray => "string_array",
        FieldType.Object => "object",
        _ => "any",
    };
}

/// <summary>One data field: <c>default</c> and <c>options</c> are written even when null.</summary>
public sealed record NodeFieldEntry(string Name, string Type, string Label, string Description, bool Required, Value Default, IReadOnlyList<string>? Options);

/// <summary>An output handle; <c>id</c> null is the single unnamed output.</summary>
public sealed record NodeOutputEntry(string? Id, string Label);
