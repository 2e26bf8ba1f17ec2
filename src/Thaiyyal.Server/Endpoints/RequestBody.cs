using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// Reads a JSON request body as raw UTF-8 (the engine decodes it straight from bytes). Non-JSON content types get
/// 415, bodies over the limit 413, bodies slower than the read timeout 408 (server-api.md §1.5, §1.6 Notes).
/// </summary>
public static class RequestBody
{
    public const string ReadFailed = "Failed to read request body";

    /// <summary>The body, or the error response to send instead.</summary>
    [SuppressMessage("Performance", "CA1819", Justification = "The body is read once and handed on as it is.")]
    public readonly record struct ReadResult(byte[]? Body, JsonHttpResult<ErrorBody>? Error);

    public static async Task<ReadResult> ReadJsonAsync(HttpContext http, ServerSettings settings)
    {
        var request = http.Request;
        if (request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
        {
            return new(null, ApiResults.Error(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"send the workflow as JSON with Content-Type: application/json (got {contentType})"));
        }
        if (request.ContentLength > settings.MaxRequestBodyBytes) return new(null, TooLarge(http, settings));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (settings.ReadTimeout > TimeSpan.Zero) deadline.CancelAfter(settings.ReadTimeout);
        try
        {
            using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)Math.Min(length, settings.MaxRequestBodyBytes) : 4096);
            await request.Body.CopyToAsync(buffer, deadline.Token);
            if (buffer.Length > settings.MaxRequestBodyBytes) return new(null, TooLarge(http, settings));
            return new(buffer.ToArray(), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(null, TooLarge(http, settings));
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            return new(null, ApiResults.Error(StatusCodes.Status408RequestTimeout, ReadFailed,
                $"request body not received within {Engine.Compatibility.GoDuration.Format(settings.ReadTimeout)}"));
        }
        catch (IOException)
        {
            // The connection was reset while the body was read. Kestrel signals RequestAborted a moment later, on another
            // thread, so the filters that look at it cannot be relied on here: nobody is left to answer (recorded as 499).
            return new(null, ApiResults.Error(Execution.WorkflowRunner.ClientClosedRequest, ReadFailed, "the client closed the connection"));
        }
    }

    /// <summary>The unread rest of the body makes the connection unusable: say so, so clients do not reuse it.</summary>
    private static JsonHttpResult<ErrorBody> TooLarge(HttpContext http, ServerSettings settings)
    {
        http.Response.Headers.Connection = "close";
        return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, ReadFailed, $"http: request body too large (limit {settings.MaxRequestBodyBytes} bytes)");
    }

    private static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
