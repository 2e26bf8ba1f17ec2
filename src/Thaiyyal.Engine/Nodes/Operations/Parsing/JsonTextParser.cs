using System.Text;
using System.Text.Json;

namespace Thaiyyal.Engine.Nodes.Operations.Parsing;

/// <summary>The parse node's JSON reading: literals and numbers first, then the first JSON value of the text.</summary>
internal static class JsonTextParser
{
    public static Value Parse(string text, ExecutionLimits limits)
    {
        var trimmed = text.Trim();
        switch (trimmed)
        {
            case "true": return Value.True;
            case "false": return Value.False;
            case "null": return Value.Null;
        }
        if (Compatibility.GoStrconv.TryParseFloat(trimmed, out var number))
        {
            return double.IsFinite(number)
                ? Value.From(number)
                : throw Invalid($"{trimmed} is not a finite number");
        }
        return ReadFirstValue(trimmed, limits);
    }

    /// <summary>True when the whole text is one valid JSON document (AUTO detection), with its value.</summary>
    public static bool TryParseDocument(string text, ExecutionLimits limits, out Value value)
    {
        try
        {
            value = ValueJson.Parse(Encoding.UTF8.GetBytes(text), TextCell.MaxDepth(limits.MaxJsonDepth), limits.MaxArrayLength, limits.MaxStringLength);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    // Text after the first value is ignored, as the original's streaming decoder did.
    private static Value ReadFirstValue(string text, ExecutionLimits limits)
    {
        var maxDepth = TextCell.MaxDepth(limits.MaxJsonDepth);
        if (text.Length == 0) throw Invalid("EOF");
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { MaxDepth = maxDepth, AllowMultipleValues = true });
        try
        {
            if (!reader.Read()) throw Invalid("EOF");
            return ValueJson.Read(ref reader, limits.MaxArrayLength, limits.MaxStringLength);
        }
        catch (JsonException ex)
        {
            throw Invalid(Describe(text, ex));
        }
        catch (FormatException)
        {
            throw Invalid("number out of range");
        }
    }

    // Go's decoder says "unexpected EOF" for a document cut short; other messages come from the reader.
    private static string Describe(string text, JsonException ex)
    {
        var message = ex.Message;
        var location = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (location >= 0) message = message[..location];
        if (ReachedEnd(text, ex) || message.Contains("end of data", StringComparison.Ordinal))
            return "unexpected EOF";
        return $"{message.TrimEnd('.', ' ')} (line {(ex.LineNumber ?? 0) + 1})";
    }

    private static bool ReachedEnd(string text, JsonException ex)
    {
        if (ex.LineNumber is not { } line || ex.BytePositionInLine is not { } position) return false;
        var lines = text.Split('\n');
        return line == lines.Length - 1 && position >= Encoding.UTF8.GetByteCount(lines[^1]);
    }

    private static NodeExecutionException Invalid(string reason) => new($"invalid JSON: {reason}");
}
