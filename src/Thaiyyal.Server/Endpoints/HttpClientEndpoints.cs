namespace Thaiyyal.Server.Endpoints;

/// <summary>
/// <c>/api/v1/httpclient/*</c>: named outbound HTTP clients (server-api.md §4). The routes belong to the HTTP/SSRF
/// work and are added here; until then every path under the group answers the API's JSON 404.
/// </summary>
public static class HttpClientEndpoints
{
    public static IEndpointRouteBuilder MapHttpClientApi(this IEndpointRouteBuilder app)
    {
        // Routes go on this group: register (POST), list (GET), {uid} (DELETE, PUT), with
        // .RequireRateLimiting(ApiProtection.ReadPolicy) and RequestBody.ReadJsonAsync for bodies.
        _ = app.MapGroup("/api/v1/httpclient").WithTags("HTTP clients");
        return app;
    }
}
