using System.Text;
using System.Text.Json;

namespace Thaiyyal.Engine.Http;

/// <summary>How the <c>http</c> node turns a response body into a value (nodes.md <c>http</c> step 8).</summary>
internal static class ResponseContent
{
    public const string Auto = "auto";
    public const string Json = "json";
    public const string Text = "text";

    /// <summary>
    /// <c>auto</c>: JSON when the media type is <c>application/json</c> or <c>application/*+json</c> (invalid JSON
    /// fails), or when there is no Content-Type and the body looks like an object or array (falling back to
    /// text); text otherwise. JSON numbers become doubles like every other JSON source (nodes.md Notes).
    /// </summary>
    public static Value ToValue(OutboundResponse response, string mode, ExecutionLimits limits)
    {
        var value = Decode(response, mode, limits);
        ResultSize.CheckSizes(value, limits);
        return value;
    }

    private static Value Decode(OutboundResponse response, string mode, ExecutionLimits limits)
    {
        var maxDepth = limits.MaxJsonDepth > 0 ? limits.MaxJsonDepth : ValueJson.DefaultMaxDepth;
        var body = response.Body.AsSpan();
        if (body.StartsWith("\uFEFF"u8)) body = body[3..];
        var mediaType = MediaType(response.ContentType);
        switch (mode)
        {
            case Text:
                return DecodeText(body, response.ContentType);
            case Json:
                return ParseJson(body, maxDepth, limits);
        }
        if (body.IsEmpty) return Value.EmptyString;
        if (mediaType is not null && IsJsonMediaType(mediaType)) return ParseJson(body, maxDepth, limits);
        if (response.ContentType is null && body.Trim(" \t\r\n"u8) is [(byte)'{' or (byte)'[', ..])
        {
            try
            {
                return ParseFirstValue(body, maxDepth, limits);
            }
            catch (JsonException)
            {
                return DecodeText(body, null);
            }
        }
        return DecodeText(body, response.ContentType);
    }

    private static Value ParseJson(ReadOnlySpan<byte> body, int maxDepth, ExecutionLimits limits)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty) throw new NodeExecutionException("failed to parse JSON response: EOF");
        try
        {
            return ParseFirstValue(body, maxDepth, limits);
        }
        catch (JsonException e)
        {
            throw new NodeExecutionException($"failed to parse JSON response: {e.Message}");
        }
    }

    // The first JSON value of the body, as Go's decoder reads it; anything after it is ignored.
    private static Value ParseFirstValue(ReadOnlySpan<byte> body, int maxDepth, ExecutionLimits limits)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth, AllowMultipleValues = true });
        if (!reader.Read()) throw new JsonException("unexpected end of JSON input");
        return ValueJson.Read(ref reader, limits.MaxArrayLength, limits.MaxStringLength);
    }

    private static string? MediaType(string? contentType)
    {
        if (contentType is null) return null;
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }

    private static bool IsJsonMediaType(string mediaType) =>
        mediaType == "application/json" || (mediaType.StartsWith("application/", StringComparison.Ordinal) && mediaType.EndsWith("+json", StringComparison.Ordinal));

    private static Value DecodeText(ReadOnlySpan<byte> body, string? contentType) => Value.From(CharsetOf(contentType).GetString(body));

    private static Encoding CharsetOf(string? contentType)
    {
        if (contentType is null) return Encoding.UTF8;
        foreach (var parameter in contentType.Split(';').Skip(1))
        {
            var pair = parameter.Split('=', 2);
            if (pair.Length != 2 || !pair[0].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase)) continue;
            try
            {
                return Encoding.GetEncoding(pair[1].Trim().Trim('"'));
            }
            catch (ArgumentException)
            {
                return Encoding.UTF8;
            }
        }
        return Encoding.UTF8;
    }
}
