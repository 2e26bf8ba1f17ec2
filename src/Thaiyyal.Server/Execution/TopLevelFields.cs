using System.Text;

namespace Thaiyyal.Server.Execution;

/// <summary>
/// Finds one top-level field of a workflow payload that the engine's reader skips (<c>pinned_results</c>,
/// <c>on_interrupt</c>): a cheap byte search first, since most payloads lack the field, then a reader walk.
/// </summary>
internal static class TopLevelField
{
    /// <summary>
    /// True with <paramref name="reader"/> on the field's value when the payload is an object that has the field
    /// (and the value is not <c>null</c>); false otherwise. Throws <see cref="JsonException"/> on malformed JSON.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> quotedName, out Utf8JsonReader reader)
    {
        reader = default;
        if (payload.IndexOf(quotedName) < 0) return false;
        var name = quotedName[1..^1];
        reader = new Utf8JsonReader(payload, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isField = reader.ValueTextEquals(name);
            reader.Read();
            if (isField) return reader.TokenType != JsonTokenType.Null;
            reader.Skip();
        }
        return false;
    }
}

/// <summary>
/// The optional top-level <c>on_interrupt</c> of a workflow: what happens to an asynchronous run of it when the
/// replica running it is lost (its lease runs out) or hands it back at shutdown. <c>"interrupted"</c> (the default)
/// ends the run <c>interrupted</c>; <c>"restart"</c> puts it back on the queue so that a replica runs it again from
/// the start (at-least-once: nodes before the cut run twice). The engine's payload reader skips the field.
/// </summary>
public static class OnInterruptField
{
    public const string Name = "on_interrupt";
    public const string Interrupted = "interrupted";
    public const string Restart = "restart";

    /// <summary>Throws <see cref="WorkflowException"/> (a 400) when the field is there with another value.</summary>
    public static void Validate(ReadOnlySpan<byte> payload) => Read(payload);

    /// <summary>True when the stored payload asks for a restart; a payload that cannot be read does not.</summary>
    public static bool IsRestart(string? payloadJson)
    {
        if (payloadJson is null || !payloadJson.Contains("\"on_interrupt\"", StringComparison.Ordinal)) return false;
        try
        {
            return Read(Encoding.UTF8.GetBytes(payloadJson)) == Restart;
        }
        catch (WorkflowException)
        {
            return false;
        }
    }

    private static string? Read(ReadOnlySpan<byte> payload)
    {
        try
        {
            if (!TopLevelField.TryFind(payload, "\"on_interrupt\""u8, out var reader)) return null;
            var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (value is Interrupted or Restart) return value;
            throw new WorkflowException(WorkflowErrorKind.Decode,
                $"{Name}: must be \"{Interrupted}\" (the default) or \"{Restart}\", not {Describe(ref reader)}");
        }
        catch (JsonException ex)
        {
            throw new WorkflowException(WorkflowErrorKind.Decode, $"{Name}: {ex.Message}");
        }
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "\"" + reader.GetString() + "\"",
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => "another value",
    };
}
