using System.Text.Json;

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
