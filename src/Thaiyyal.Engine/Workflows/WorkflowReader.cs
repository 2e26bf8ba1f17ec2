using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Engine.Workflows;

/// <summary>
/// Reads a workflow payload (workflow-format.md §1–§4) straight from UTF-8 bytes into a
/// <see cref="WorkflowDefinition"/>. Unknown keys are skipped; depth and size are bounded.
/// </summary>
public static class WorkflowReader
{
    private const string Prefix = "failed to parse payload: ";

    // Type inference for payloads read without a registry: the built-in node types' rules.
    private static readonly Lazy<NodeRegistry> BuiltIns = new(NodeRegistry.CreateDefault);

    /// <summary>
    /// Reads a payload. Throws <see cref="WorkflowException"/> (kind Decode) with the spec's texts. A node without
    /// <c>type</c> gets the type <paramref name="registry"/> infers from its data (default: the built-in types).
    /// </summary>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ by the payload's form (bytes or text), not by their optional parameters.")]
    public static WorkflowDefinition Read(ReadOnlySpan<byte> utf8Json, ExecutionLimits? limits = null, NodeRegistry? registry = null)
    {
        limits ??= ExecutionLimits.Default;
        if (limits.MaxPayloadBytes > 0 && utf8Json.Length > limits.MaxPayloadBytes)
        {
            throw Decode($"payload too large: {utf8Json.Length} bytes (limit: {limits.MaxPayloadBytes})");
        }
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = limits.MaxJsonDepth });
        try
        {
            if (!reader.Read()) throw Decode("unexpected end of JSON input");
            var definition = ReadPayload(ref reader, registry ?? BuiltIns.Value);
            if (reader.Read()) throw Decode("invalid character after top-level value");
            return definition;
        }
        catch (JsonException ex)
        {
            throw Decode(DescribeJsonError(ex));
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports some malformed input (bad UTF-8 in strings) this way.
            throw Decode(ex.Message);
        }
    }

    /// <summary>Reads a payload from text.</summary>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ by the payload's form (bytes or text), not by their optional parameters.")]
    public static WorkflowDefinition Read(string json, ExecutionLimits? limits = null, NodeRegistry? registry = null) =>
        Read(Encoding.UTF8.GetBytes(json), limits, registry);

    private static WorkflowDefinition ReadPayload(ref Utf8JsonReader reader, NodeRegistry registry)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw TypeMismatch(reader.TokenType, "payload", "Payload");
        // Gathered in this thread's lists and copied out at their exact size: two lists of its own per payload, and the
        // spare room of their growth, were about a hundred of the 3-node addition's 2,900 bytes (docs/performance.md).
        var nodes = t_nodes ??= [];
        var edges = t_edges ??= [];
        nodes.Clear();
        edges.Clear();
        try
        {
            return ReadPayloadInto(ref reader, registry, nodes, edges);
        }
        finally
        {
            Release(nodes);
            Release(edges);
        }
    }

    [ThreadStatic]
    private static List<NodeDefinition>? t_nodes;

    [ThreadStatic]
    private static List<EdgeDefinition>? t_edges;

    /// <summary>Empties a reading list; one grown by a big payload is let go rather than kept by the thread.</summary>
    private static void Release<T>(List<T> list)
    {
        list.Clear();
        if (list.Capacity > 1024) list.Capacity = 0;
    }

    private static WorkflowDefinition ReadPayloadInto(ref Utf8JsonReader reader, NodeRegistry registry, List<NodeDefinition> nodes, List<EdgeDefinition> edges)
    {
        string? workflowId = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("workflow_id"u8))
            {
                reader.Read();
                workflowId = ReadOptionalString(ref reader, "Payload.workflow_id");
            }
            else if (reader.ValueTextEquals("nodes"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartArray) throw TypeMismatch(reader.TokenType, "Payload.nodes", "[]Node");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    nodes.Add(ReadNode(ref reader, registry));
                }
            }
            else if (reader.ValueTextEquals("edges"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartArray) throw TypeMismatch(reader.TokenType, "Payload.edges", "[]Edge");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    edges.Add(ReadEdge(ref reader, nodes));
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new WorkflowDefinition(workflowId, nodes.Count == 0 ? [] : nodes.ToArray(), edges.Count == 0 ? [] : edges.ToArray());
    }

    private static NodeDefinition ReadNode(ref Utf8JsonReader reader, NodeRegistry registry)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw TypeMismatch(reader.TokenType, "Payload.nodes", "Node");
        var id = "";
        var type = "";
        string? parentId = null;
        ValueObject? data = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = ReadOptionalString(ref reader, "Node.id") ?? "";
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.String ? KnownStrings.Intern(ref reader) : ReadOptionalString(ref reader, "Node.type") ?? "";
            }
            else if (reader.ValueTextEquals("parentId"u8) || reader.ValueTextEquals("parentNode"u8))
            {
                reader.Read();
                parentId = ReadOptionalString(ref reader, "Node.parentId") ?? parentId;
                if (parentId?.Length == 0) parentId = null;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartObject) throw TypeMismatch(reader.TokenType, "Node.data", "map[string]interface {}");
                try
                {
                    data = ValueJson.Read(ref reader).AsObject();
                }
                catch (JsonNumberRangeException ex)
                {
                    // The field is named: the original accepted these as null, which hid the mistake.
                    throw new WorkflowException(WorkflowErrorKind.Decode, $"{Prefix}number {ex.Number} is out of range in field data{ex.PathText} of node {(id.Length > 0 ? id : "(id not yet read)")}", id.Length > 0 ? id : null);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (type.Length == 0 && data is not null) type = registry.InferType(data);
        return new NodeDefinition(id, type, data, parentId);
    }

    private static EdgeDefinition ReadEdge(ref Utf8JsonReader reader, List<NodeDefinition> nodes)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw TypeMismatch(reader.TokenType, "Payload.edges", "Edge");
        string? id = null, source = null, target = null, sourceHandle = null, targetHandle = null, condition = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) { reader.Read(); id = ReadOptionalString(ref reader, "Edge.id"); }
            else if (reader.ValueTextEquals("source"u8)) { reader.Read(); source = ReadNodeReference(ref reader, nodes, "Edge.source"); }
            else if (reader.ValueTextEquals("target"u8)) { reader.Read(); target = ReadNodeReference(ref reader, nodes, "Edge.target"); }
            else if (reader.ValueTextEquals("sourceHandle"u8)) { reader.Read(); sourceHandle = ReadOptionalString(ref reader, "Edge.sourceHandle"); }
            else if (reader.ValueTextEquals("targetHandle"u8)) { reader.Read(); targetHandle = ReadOptionalString(ref reader, "Edge.targetHandle"); }
            else if (reader.ValueTextEquals("condition"u8)) { reader.Read(); condition = ReadOptionalString(ref reader, "Edge.condition"); }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new EdgeDefinition(source ?? "", target ?? "", sourceHandle ?? condition, targetHandle, id);
    }

    /// <summary>
    /// An edge's end: in a small graph whose nodes came first, the node's own id string instead of a new copy of it
    /// (a few allocations fewer per edge; in bigger graphs the scan would cost more than the copy).
    /// </summary>
    private static string? ReadNodeReference(ref Utf8JsonReader reader, List<NodeDefinition> nodes, string field)
    {
        if (reader.TokenType == JsonTokenType.String && nodes.Count <= Graph.GraphPlan.SmallGraph)
        {
            foreach (var node in nodes)
            {
                if (reader.ValueTextEquals(node.Id)) return node.Id;
            }
        }
        return ReadOptionalString(ref reader, field);
    }

    private static string? ReadOptionalString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw TypeMismatch(reader.TokenType, field, "string"),
    };

    private static WorkflowException TypeMismatch(JsonTokenType token, string field, string goType)
    {
        var kind = token switch
        {
            JsonTokenType.Number => "number",
            JsonTokenType.String => "string",
            JsonTokenType.True or JsonTokenType.False => "bool",
            JsonTokenType.StartArray => "array",
            JsonTokenType.StartObject => "object",
            _ => "value",
        };
        return Decode($"json: cannot unmarshal {kind} into Go struct field {field} of type {goType}");
    }

    private static string DescribeJsonError(JsonException ex)
    {
        var message = ex.Message;
        // System.Text.Json appends "LineNumber: … | BytePositionInLine: …" which is useful; keep it, drop the path noise.
        var pathIndex = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (pathIndex >= 0) message = message[..pathIndex];
        return "invalid JSON: " + message.TrimEnd('.', ' ');
    }

    private static WorkflowException Decode(string reason) => new(WorkflowErrorKind.Decode, Prefix + reason);
}
