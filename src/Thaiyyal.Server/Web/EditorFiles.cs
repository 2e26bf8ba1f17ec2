using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Thaiyyal.Server.Web;

/// <summary>
/// The web editor at <c>/</c> (server-api.md §6 with its Notes): files from the web root (Vite's build output),
/// hashed assets cached for a year, HTML revalidated, GET/HEAD only, and an SPA fallback to <c>index.html</c>
/// for paths that do not look like files. Without a built editor a small generated page says how to build it.
/// </summary>
public static partial class EditorFiles
{
    private const string PolicyScripts = "default-src 'self'; script-src 'self'";

    private const string PolicyRest = "; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static (string Key, string Policy) _policy = ("", PolicyScripts + PolicyRest);

    /// <summary>
    /// The CSP for the editor's HTML: scripts from the origin plus the inline scripts of index.html by hash (the
    /// editor sets its theme before first paint), recomputed when the file changes.
    /// </summary>
    private static string ContentSecurityPolicy(IFileProvider files)
    {
        var index = files.GetFileInfo("index.html");
        if (!index.Exists) return PolicyScripts + PolicyRest;
        var key = $"{index.PhysicalPath}|{index.LastModified.UtcTicks}|{index.Length}";
        var cached = _policy;
        if (cached.Key == key) return cached.Policy;
        using var stream = index.CreateReadStream();
        using var reader = new StreamReader(stream);
        var html = reader.ReadToEnd();
        var hashes = InlineScript().Matches(html)
            .Select(m => " 'sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(m.Groups[1].Value))) + "'");
        var policy = PolicyScripts + string.Concat(hashes) + PolicyRest;
        _policy = (key, policy);
        return policy;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex InlineScript();

    /// <summary>Extensions of static assets: a missing one is a 404, not the HTML shell.</summary>
    private static readonly HashSet<string> AssetExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".js", ".mjs", ".css", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".woff", ".woff2", ".ttf", ".eot", ".json", ".txt", ".wasm",
    };

    /// <summary>Server paths that never fall back to the editor (a disabled <c>/metrics</c> is a 404, not the HTML shell).</summary>
    private static readonly string[] ReservedPrefixes = ["/api", "/metrics", "/health", "/debug", "/openapi"];

    /// <summary>The folder the editor is served from: <c>-web-root</c>, else <c>wwwroot</c> beside the binary.</summary>
    public static string ResolveWebRoot(ServerSettings settings) =>
        Path.GetFullPath(settings.WebRoot ?? Path.Combine(AppContext.BaseDirectory, "wwwroot"));

    /// <summary>
    /// Serves existing files (before routing). The editor build writes a Brotli (<c>.br</c>) and a gzip (<c>.gz</c>)
    /// copy beside each asset; a client that accepts one gets it, so nothing is compressed per request.
    /// </summary>
    public static IApplicationBuilder UseEditorStaticFiles(this IApplicationBuilder app, IFileProvider files) =>
        app.Use(PreferPrecompressed(files)).UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new PrecompressedContentTypes(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                if (context.File.Name.EndsWith(".br", StringComparison.Ordinal)) headers.ContentEncoding = "br";
                else if (context.File.Name.EndsWith(".gz", StringComparison.Ordinal)) headers.ContentEncoding = "gzip";
                if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    headers.CacheControl = "no-cache";
                    headers.ContentSecurityPolicy = ContentSecurityPolicy(files);
                }
                else if (context.Context.Request.Path.StartsWithSegments("/assets"))
                {
                    // Vite puts content-hashed file names under /assets.
                    headers.CacheControl = "public, max-age=31536000, immutable";
                }
            },
        });

    private static readonly (string Encoding, string Suffix)[] Precompressed = [("br", ".br"), ("gzip", ".gz")];

    /// <summary>Points a GET/HEAD for an asset at its compressed copy when the client accepts that encoding.</summary>
    private static Func<HttpContext, RequestDelegate, Task> PreferPrecompressed(IFileProvider files) => (http, next) =>
    {
        var request = http.Request;
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.StartsWithSegments("/assets")
            && request.Path.Value is { } path && !path.EndsWith(".br", StringComparison.Ordinal) && !path.EndsWith(".gz", StringComparison.Ordinal))
        {
            var accepted = request.GetTypedHeaders().AcceptEncoding;
            foreach (var (encoding, suffix) in Precompressed)
            {
                if (!accepted.Any(a => a.Value.Equals(encoding, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0)) continue;
                if (!files.GetFileInfo(path + suffix).Exists) continue;
                request.Path = path + suffix;
                break;
            }
            // Caches must keep the variants apart.
            http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        }
        return next(http);
    };

    /// <summary>Content types by the original name, so <c>app.js.br</c> is served as JavaScript.</summary>
    private sealed class PrecompressedContentTypes : Microsoft.AspNetCore.StaticFiles.IContentTypeProvider
    {
        private readonly Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider _inner = new();

        public bool TryGetContentType(string subpath, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string contentType)
        {
            var original = subpath.EndsWith(".br", StringComparison.Ordinal) || subpath.EndsWith(".gz", StringComparison.Ordinal) ? subpath[..^3] : subpath;
            return _inner.TryGetContentType(original, out contentType);
        }
    }

    /// <summary>
    /// After routing: a request no endpoint took and that is not under <c>/api</c> gets the SPA shell (GET/HEAD),
    /// a 404 for a missing asset, or a 405 for other methods.
    /// </summary>
    public static IApplicationBuilder UseEditorFallback(this IApplicationBuilder app, IFileProvider files) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint() is not null || ReservedPrefixes.Any(p => http.Request.Path.StartsWithSegments(p)))
        {
            await next(http);
            return;
        }
        var response = http.Response;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }
        if (AssetExtensions.Contains(Path.GetExtension(http.Request.Path.Value ?? "")))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("404 page not found\n");
            return;
        }
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy(files);
        var index = files.GetFileInfo("index.html");
        if (index.Exists)
        {
            response.ContentLength = index.Length;
            if (HttpMethods.IsHead(http.Request.Method)) return;
            await response.SendFileAsync(index, http.RequestAborted);
            return;
        }
        if (HttpMethods.IsHead(http.Request.Method)) return;
        await response.WriteAsync(PlaceholderPage, http.RequestAborted);
    });

    /// <summary>Shown when the editor has not been built (wwwroot/index.html missing).</summary>
    public const string PlaceholderPage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Thaiyyal</title>
        <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:4rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .25rem}</style>
        </head>
        <body>
        <h1>Thaiyyal server is running</h1>
        <p>The web editor is not built into this server. Build it with <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>,
        or run <code>dotnet build src/Thaiyyal.Server</code> without <code>-p:SkipWebBuild=true</code>.</p>
        <ul>
        <li>Run a workflow: <code>POST /api/v1/workflow/execute</code></li>
        <li>API reference: <a href="/scalar">/scalar</a> (OpenAPI document: <a href="/openapi/v1.json">/openapi/v1.json</a>)</li>
        <li>Node types: <a href="/api/v1/nodes">/api/v1/nodes</a></li>
        <li>Health: <a href="/health">/health</a>, metrics: <a href="/metrics">/metrics</a></li>
        </ul>
        </body>
        </html>
        """;
}
