using System.Net;
using Thaiyyal.Server.Tests.TestHost;

namespace Thaiyyal.Server.Tests.Web;

public sealed class EditorFilesTests : IDisposable
{
    private readonly string _webRoot = Directory.CreateTempSubdirectory("thaiyyal-web-").FullName;

    public EditorFilesTests()
    {
        File.WriteAllText(Path.Combine(_webRoot, "index.html"), "<!doctype html><title>editor</title>");
        Directory.CreateDirectory(Path.Combine(_webRoot, "assets"));
        File.WriteAllText(Path.Combine(_webRoot, "assets", "app-1234.js"), "console.log(1)");
    }

    public void Dispose() => Directory.Delete(_webRoot, recursive: true);

    [Fact]
    public async Task Serves_the_editor_with_an_spa_fallback_and_cache_rules()
    {
        await using var server = await RunningServer.StartAsync("-web-root", _webRoot);
        using var index = await server.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("<!doctype html><title>editor</title>", await index.Content.ReadAsStringAsync());
        Assert.Equal("no-cache", index.Headers.CacheControl!.ToString());
        Assert.Contains("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var route = await server.Client.GetAsync("/workflows/42/edit");
        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
        Assert.Equal("text/html; charset=utf-8", route.Content.Headers.ContentType!.ToString());
        Assert.Equal("<!doctype html><title>editor</title>", await route.Content.ReadAsStringAsync());

        using var asset = await server.Client.GetAsync("/assets/app-1234.js");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl!.ToString());
        Assert.NotNull(asset.Headers.ETag);

        using var missing = await server.Client.GetAsync("/assets/gone.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var post = await server.Client.PostAsync("/", new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(["GET", "HEAD"], post.Content.Headers.Allow);
    }

    [Fact]
    public async Task The_csp_allows_exactly_the_inline_scripts_of_index_html_by_hash()
    {
        const string script = "document.documentElement.dataset.theme = 'dark';";
        File.WriteAllText(Path.Combine(_webRoot, "index.html"), $"<!doctype html><script>{script}</script><script type=\"module\" src=\"/assets/app-1234.js\"></script>");
        await using var server = await RunningServer.StartAsync("-web-root", _webRoot);
        using var index = await server.Client.GetAsync("/");
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script)));
        var policy = index.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"script-src 'self' 'sha256-{hash}';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline'; img", policy.Replace("style-src 'self' 'unsafe-inline'", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_built_editor_a_generated_page_explains_how_to_build_it()
    {
        var empty = Directory.CreateTempSubdirectory("thaiyyal-empty-").FullName;
        try
        {
            await using var server = await RunningServer.StartAsync("-web-root", empty);
            using var page = await server.Client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("Thaiyyal server is running", html, StringComparison.Ordinal);
            Assert.Contains("npm run build", html, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(empty, "index.html")));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task Serves_the_precompressed_copy_of_an_asset_the_client_accepts()
    {
        var script = string.Concat(Enumerable.Repeat("console.log('thaiyyal');\n", 200));
        File.WriteAllText(Path.Combine(_webRoot, "assets", "big-5678.js"), script);
        File.WriteAllBytes(Path.Combine(_webRoot, "assets", "big-5678.js.br"), Compress(script, s => new System.IO.Compression.BrotliStream(s, System.IO.Compression.CompressionLevel.Optimal)));
        File.WriteAllBytes(Path.Combine(_webRoot, "assets", "big-5678.js.gz"), Compress(script, s => new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionLevel.Optimal)));
        await using var server = await RunningServer.StartAsync("-web-root", _webRoot);

        foreach (var (accept, encoding) in new[] { ("br, gzip", "br"), ("gzip", "gzip"), ("identity", null) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/big-5678.js");
            request.Headers.TryAddWithoutValidation("Accept-Encoding", accept);
            using var response = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(encoding is null ? [] : [encoding], response.Content.Headers.ContentEncoding);
            Assert.Equal(script, Decompress(body, encoding));
            if (encoding is not null) Assert.True(body.Length < script.Length / 4, $"{encoding} body of {body.Length} bytes");
        }
    }

    private static byte[] Compress(string text, Func<Stream, Stream> wrap)
    {
        using var buffer = new MemoryStream();
        using (var compressor = wrap(buffer)) compressor.Write(System.Text.Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }

    private static string Decompress(byte[] body, string? encoding)
    {
        using var input = new MemoryStream(body);
        using Stream stream = encoding switch
        {
            "br" => new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress),
            _ => input,
        };
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task Publishes_an_openapi_document_and_a_reference_page()
    {
        await using var server = await RunningServer.StartAsync();
        var (status, document) = await server.GetJsonAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, status);
        var paths = document!["paths"]!.AsObject();
        foreach (var path in new[] { "/api/v1/workflow/execute", "/api/v1/workflow/validate", "/api/v1/workflow/save", "/api/v1/workflow/list",
                     "/api/v1/workflow/load/{id}", "/api/v1/workflow/delete/{id}", "/api/v1/workflow/execute/{id}", "/api/v1/nodes",
                     "/api/v1/workflow/check", "/api/v1/expressions/check", "/api/v1/expressions/catalogue" })
        {
            Assert.True(paths.ContainsKey(path), $"{path} missing from the OpenAPI document");
        }
        Assert.NotNull(paths["/api/v1/workflow/execute"]!["post"]!["requestBody"]);
        using var reference = await server.Client.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("text/html", reference.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        // Offline use: Scalar is told not to load its web fonts nor to send telemetry.
        var html = await reference.Content.ReadAsStringAsync();
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", html, StringComparison.Ordinal);
    }
}
