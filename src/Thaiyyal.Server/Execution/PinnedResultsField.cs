namespace Thaiyyal.Server.Execution;

/// <summary>
/// The optional top-level <c>pinned_results</c> of an execute payload: <c>{"node_id": value}</c>. A pinned node
/// does not run; its value is its result (the editor's "pin output", the same mechanism as a test case's
/// <c>pin</c>). The engine's payload reader skips the field, so this reads it on its own; every key must be a node
/// of the workflow, and values obey the run's array and string limits.
/// </summary>
public static class PinnedResultsField
{
    public const string Name = "pinned_results";

    /// <summary>The pins, or null when the payload has none. Throws <see cref="WorkflowException"/> (a 400) when they are malformed.</summary>
    public static IReadOnlyDictionary<string, Value>? Read(ReadOnlySpan<byte> payload, Workflow workflow, ExecutionLimits limits)
    {
        try
        {
            if (!TopLevelField.TryFind(payload, "\"pinned_results\""u8, out var reader)) return null;
            if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("must be an object of results by node id");
            return ReadPins(ref reader, workflow, limits);
        }
        catch (JsonException ex)
        {
            throw Invalid(ex.Message);
        }
        catch (ExecutionLimitException ex)
        {
            throw Invalid(ex.Message);
        }
    }

    private static Dictionary<string, Value> ReadPins(ref Utf8JsonReader reader, Workflow workflow, ExecutionLimits limits)
    {
        var ids = workflow.Definition.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var pins = new Dictionary<string, Value>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var id = reader.GetString()!;
            if (!ids.Contains(id)) throw Invalid($"the workflow has no node '{id}'", id);
            reader.Read();
            pins[id] = ValueJson.Read(ref reader, limits.MaxArrayLength, limits.MaxStringLength);
        }
        return pins;
    }

    private static WorkflowException Invalid(string problem, string? nodeId = null) =>
        new(WorkflowErrorKind.Decode, $"{Name}: {problem}", nodeId);
}
