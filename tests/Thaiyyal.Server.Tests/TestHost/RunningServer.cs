using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Thaiyyal.Engine;
using Thaiyyal.Server.Configuration;
using Thaiyyal.Server.Hosting;

namespace Thaiyyal.Server.Tests.TestHost;

/// <summary>
/// The real server (Kestrel on 127.0.0.1, a free port) in this process, built exactly as <c>Program</c> builds it
/// from flags run through <see cref="ServerSettingsLoader"/>.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, Uri baseAddress, Uri? adminAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        AdminAddress = adminAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public Uri? AdminAddress { get; }

    public HttpClient Client { get; }

    public ServerSettings Current => App.Services.GetRequiredService<ServerSettings>();

    /// <summary>Flags every test server gets first: loopback, free port, no drain delay, quiet logs.</summary>
    public static readonly string[] BaseFlags = ["-addr", "127.0.0.1:0", "-drain-delay", "0s", "-log-level", "error"];

    public static ServerSettings Settings(params string[] flags) => Settings(new Dictionary<string, string>(), flags);

    public static ServerSettings Settings(IReadOnlyDictionary<string, string> environment, params string[] flags)
    {
        // Each server gets its own empty SQLite store unless the test names one.
        string[] store = flags.Contains("-data-dir") || flags.Contains("-database-url") || environment.ContainsKey("THAIYYAL_DATA_DIR")
                         || environment.ContainsKey("DATABASE_URL")
            ? []
            : ["-data-dir", TemporaryDataDirectory()];
        var loaded = ServerSettingsLoader.Load([.. BaseFlags, .. store, .. flags], environment);
        return loaded.Settings ?? throw new InvalidOperationException("bad test settings: " + loaded.Error);
    }

    public static Task<RunningServer> StartAsync(params string[] flags) => StartAsync(Settings(flags));

    public static async Task<RunningServer> StartAsync(ServerSettings settings, Action<WorkflowEngine>? configureEngine = null,
        IReadOnlyDictionary<string, string>? environment = null, Action<WebApplication>? configureApp = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var app = ServerApplication.Build(settings, environment ?? new Dictionary<string, string>(), configureEngine, configureServices);
        configureApp?.Invoke(app);
        await app.StartAsync();
        var listeners = app.Services.GetRequiredService<ServerListeners>();
        var admin = listeners.AdminEndpoints.Count > 0 ? Url(listeners.AdminEndpoints[0]) : null;
        return new RunningServer(app, Url(listeners.PublicEndpoints[0]), admin);
    }

    /// <summary>Prefix of the data directories <see cref="Settings(string[])"/> makes; removed when their server stops.</summary>
    public static readonly string TemporaryDataRoot = Path.Combine(Path.GetTempPath(), "thaiyyal-server-tests");

    public static string TemporaryDataDirectory() => Path.Combine(TemporaryDataRoot, Guid.NewGuid().ToString("N"));

    /// <summary>A server whose execution history is <paramref name="store"/>.</summary>
    public static Task<RunningServer> StartWithStoreAsync(Thaiyyal.Storage.IThaiyyalStore store, Action<WorkflowEngine>? configureEngine, params string[] flags) =>
        StartAsync(Settings(flags), configureEngine, configureServices: services => services.AddSingleton(store));

    private static Uri Url(IPEndPoint endpoint) => new($"http://127.0.0.1:{endpoint.Port}/");

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, CancellationToken cancellationToken = default) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);

    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostJsonForBodyAsync(string path, string json)
    {
        using var response = await PostJsonAsync(path, json);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static MediaTypeHeaderValue Json => new("application/json");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        var dataDirectory = Path.GetFullPath(Current.Store.DataDirectory);
        await App.StopAsync();
        await App.DisposeAsync();
        if (dataDirectory.StartsWith(TemporaryDataRoot, StringComparison.Ordinal) && Directory.Exists(dataDirectory))
            Directory.Delete(dataDirectory, recursive: true);
    }
}
