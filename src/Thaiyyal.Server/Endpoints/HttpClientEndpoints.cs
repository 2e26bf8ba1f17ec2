using Microsoft.AspNetCore.Http.HttpResults;
using Thaiyyal.Engine.Http;

namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// <c>/api/v1/httpclient/*</c>: named outbound HTTP clients (server-api.md §4 with its Notes). Register, list,
/// replace and delete; the registry is the one the engine's <c>http</c> nodes use, and every change is written
/// through to the store (sealed at rest) so clients survive restarts and reach every replica. Secrets are accepted,
/// never returned and never logged: responses carry uids only. A store that cannot be written answers 503 and
/// leaves the registry as it was.
/// </summary>
public static class HttpClientEndpoints
{
    public static IEndpointRouteBuilder MapHttpClientApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/httpclient").WithTags("HTTP clients");
        group.MapPost("/register", RegisterAsync).WithName("RegisterHttpClient")
            .WithSummary("Registers a named outbound HTTP client; http nodes use it through http_client_uid.")
            .DocumentJsonBody<HttpClientRequestDoc>().RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapGet("/list", List).WithName("ListHttpClients").WithSummary("Registered client uids (never their configuration).")
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapPut("/{uid}", ReplaceAsync).WithName("ReplaceHttpClient")
            .WithSummary("Replaces a client's whole configuration, e.g. to rotate a secret.")
            .DocumentJsonBody<HttpClientRequestDoc>().RequireRateLimiting(ApiProtection.ReadPolicy);
        group.MapDelete("/{uid}", DeleteAsync).WithName("DeleteHttpClient").WithSummary("Removes a client.")
            .RequireRateLimiting(ApiProtection.ReadPolicy);
        return app;
    }

    private static async Task<Results<JsonHttpResult<HttpClientResponse>, JsonHttpResult<ErrorBody>>> RegisterAsync(
        HttpContext http, OutboundHttp outbound, IThaiyyalStore store, ServerSettings settings, ILoggerFactory loggers)
    {
        var read = await ReadConfigAsync(http, settings);
        if (read.Error is { } error) return error;
        try
        {
            var client = outbound.Clients.Register(read.Config!);
            try
            {
                await store.HttpClients.UpsertAsync(client.Uid, read.ConfigJson!, http.RequestAborted);
            }
            catch (StorageException ex)
            {
                outbound.Clients.Remove(client.Uid);
                return StoreUnavailable(ex, "register");
            }
            Log(loggers, "HTTP client registered", client.Uid);
            return ApiResults.Json(new HttpClientResponse(true, "HTTP client registered successfully", client.Uid), StatusCodes.Status201Created);
        }
        catch (NamedHttpClientException ex)
        {
            return Refused(ex, "register");
        }
    }

    private static JsonHttpResult<HttpClientListResponse> List(OutboundHttp outbound)
    {
        var uids = outbound.Clients.List();
        return ApiResults.Json(new HttpClientListResponse(true, uids, uids.Count));
    }

    private static async Task<Results<JsonHttpResult<HttpClientResponse>, JsonHttpResult<ErrorBody>>> ReplaceAsync(
        string uid, HttpContext http, OutboundHttp outbound, IThaiyyalStore store, ServerSettings settings, ILoggerFactory loggers)
    {
        var read = await ReadConfigAsync(http, settings);
        if (read.Error is { } error) return error;
        var config = read.Config!;
        if (config.Uid.Length == 0) config = config with { Uid = uid };
        else if (config.Uid != uid)
            return ApiResults.Error(StatusCodes.Status400BadRequest, $"Failed to update HTTP client: config uid \"{config.Uid}\" does not match the URL's \"{uid}\"");
        try
        {
            var previous = outbound.Clients.TryGet(uid, out var old) ? old.Config : null;
            outbound.Clients.Replace(config);
            try
            {
                await store.HttpClients.UpsertAsync(uid, read.ConfigJson!, http.RequestAborted);
            }
            catch (StorageException ex)
            {
                if (previous is not null) outbound.Clients.Replace(previous);
                return StoreUnavailable(ex, "update");
            }
            Log(loggers, "HTTP client replaced", uid);
            return ApiResults.Json(new HttpClientResponse(true, "HTTP client updated successfully", uid));
        }
        catch (NamedHttpClientException ex)
        {
            return Refused(ex, "update");
        }
    }

    private static async Task<Results<JsonHttpResult<HttpClientResponse>, JsonHttpResult<ErrorBody>>> DeleteAsync(
        string uid, HttpContext http, OutboundHttp outbound, IThaiyyalStore store, ILoggerFactory loggers)
    {
        if (!outbound.Clients.TryGet(uid, out _)) return ApiResults.Error(StatusCodes.Status404NotFound, $"client with UID \"{uid}\" not found");
        try
        {
            await store.HttpClients.DeleteAsync(uid, http.RequestAborted);
        }
        catch (StorageException ex)
        {
            return StoreUnavailable(ex, "delete");
        }
        outbound.Clients.Remove(uid);
        Log(loggers, "HTTP client deleted", uid);
        return ApiResults.Json(new HttpClientResponse(true, "HTTP client deleted successfully", uid));
    }

    /// <summary>The parsed configuration and the <c>config</c> object's JSON as sent (what the store keeps, sealed).</summary>
    private readonly record struct ConfigRead(NamedHttpClientConfig? Config, JsonHttpResult<ErrorBody>? Error, string? ConfigJson = null);

    // {"config": {...}} → the configuration, or the original's error bodies (server-api.md §4.1).
    private static async Task<ConfigRead> ReadConfigAsync(HttpContext http, ServerSettings settings)
    {
        var body = await RequestBody.ReadJsonAsync(http, settings);
        if (body.Error is { } readError) return new(null, readError);
        try
        {
            using var document = JsonDocument.Parse(body.Body!, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return new(null, ApiResults.Error(StatusCodes.Status400BadRequest, "Failed to parse request", "the body must be a JSON object"));
            if (!document.RootElement.TryGetProperty("config", out var config) || config.ValueKind == JsonValueKind.Null)
                return new(null, ApiResults.Error(StatusCodes.Status400BadRequest, "config is required"));
            return new(NamedHttpClientJson.Read(config), null, config.GetRawText());
        }
        catch (JsonException ex)
        {
            // NamedHttpClientJson's messages name the field, never its value (it may be a secret).
            return new(null, ApiResults.Error(StatusCodes.Status400BadRequest, "Failed to parse request", ex.Message));
        }
    }

    private static JsonHttpResult<ErrorBody> Refused(NamedHttpClientException ex, string action) => ex.Error switch
    {
        NamedHttpClientError.InvalidConfig => ApiResults.Error(StatusCodes.Status400BadRequest, $"Failed to create HTTP client: {ex.Message}"),
        NamedHttpClientError.NotFound => ApiResults.Error(StatusCodes.Status404NotFound, $"Failed to {action} HTTP client: {ex.Message}"),
        _ => ApiResults.Error(StatusCodes.Status409Conflict, $"Failed to {action} HTTP client: {ex.Message}"),
    };

    private static JsonHttpResult<ErrorBody> StoreUnavailable(StorageException ex, string action) =>
        ApiResults.Error(StatusCodes.Status503ServiceUnavailable, $"Failed to {action} HTTP client: the store is unavailable", ex.Message);

    private static void Log(ILoggerFactory loggers, string message, string uid) =>
        loggers.CreateLogger("Thaiyyal.Server").Fields(LogLevel.Information, message, ("uid", uid));
}

public sealed record HttpClientResponse(bool Success, string Message, string Uid);

public sealed record HttpClientListResponse(bool Success, IReadOnlyList<string> Clients, int Count);

/// <summary>The register/replace body for the API document: <c>{"config": {...}}</c> (security.md §3.1).</summary>
public sealed record HttpClientRequestDoc(JsonElement Config);
