using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.FileProviders;
using Scalar.AspNetCore;
using Thaiyyal.Engine.Http;
using Thaiyyal.Server.Endpoints;
using Thaiyyal.Server.Execution;
using Thaiyyal.Server.Executions;
using Thaiyyal.Server.Health;
using Thaiyyal.Server.Storage;
using Thaiyyal.Server.Telemetry;
using Thaiyyal.Server.Web;
#if PROFILING
using Thaiyyal.Server.Diagnostics.Profiling;
#endif

namespace Thaiyyal.Server;

/// <summary>Builds and runs the server: services, listeners, middleware and routes.</summary>
public static class ServerApplication
{
#if PROFILING
    /// <summary>False when built with <c>-p:EnableProfiling=false</c>.</summary>
    public const bool ProfilingBuiltIn = true;
#else
    public const bool ProfilingBuiltIn = false;
#endif

    /// <summary>The error of every request but health and metrics on a <c>-role worker</c> replica.</summary>
    public const string WorkerServesNoApi = "Not served by a worker replica";

    /// <summary>
    /// The configured application, not started. <paramref name="configureEngine"/> can register custom node types
    /// on the shared engine (they appear in <c>GET /api/v1/nodes</c> too).
    /// </summary>
    /// <paramref name="configureServices"/> runs after the server's own registrations (tests register a store there).
    public static WebApplication Build(ServerSettings settings, IReadOnlyDictionary<string, string> environment, Action<WorkflowEngine>? configureEngine = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        var listeners = new ServerListeners();
        var adminListener = settings.Profiling && ProfilingBuiltIn;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
            if (settings.ReadTimeout > TimeSpan.Zero)
                kestrel.Limits.RequestHeadersTimeout = settings.ReadTimeout < TimeSpan.FromSeconds(10) ? settings.ReadTimeout : TimeSpan.FromSeconds(10);
            listeners.Configure(kestrel, settings, adminListener);
        });

        // Registered last, so Kestrel prefers it over its own socket transport.
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory, SettlingListenerFactory>();
        builder.AddServiceDefaults(settings, environment);
        var services = builder.Services;
        services.AddValidatedSettings(settings);
        services.AddSingleton(listeners);
        services.AddSingleton(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Thaiyyal.Engine.Http");
            return new OutboundHttp(settings.Http, onBlocked: block => log.Fields(LogLevel.Warning, "outbound request blocked",
                ("reason", block.Reason), ("host", block.Host), ("error", block.Message)));
        });
        services.AddSingleton(sp =>
        {
            var engine = new WorkflowEngine(new EngineOptions { Limits = settings.Limits, Services = sp, Http = sp.GetRequiredService<OutboundHttp>() });
            configureEngine?.Invoke(engine);
            return engine;
        });
        services.AddSingleton<RunCoordinator>();
        services.AddSingleton<RunAdmission>();
        services.AddSingleton<WorkflowRunner>();
        // The store is opened (and migrated) before anything listens: a server that cannot keep what it is given
        // refuses to start (StorageException, reported by RunAsync) instead of losing it later.
        var storeLog = new StrongBox<ILogger?>();
        var store = OpenStore(settings, storeLog);
        services.AddSingleton<IThaiyyalStore>(_ => store);
        // Each server holds its own slot for making execution ids, so replicas sharing the store never make the same id.
        var claim = Guid.NewGuid().ToString("N");
        var slot = IdGeneratorSlot.ClaimAsync(store.Executions, claim, settings.Executions.InstanceId, TimeProvider.System, CancellationToken.None)
            .GetAwaiter().GetResult();
        services.AddSingleton(sp => new ExecutionIdGenerator(slot, sp.GetRequiredService<TimeProvider>(), claim));
        services.AddHostedService<IdGeneratorSlot>();
        services.AddSingleton<HistoryRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryRetention>());
        services.AddHostedService<StoreCheckpoints>();
        services.AddExecutions();
        services.AddApiProtection(settings);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            o.SerializerOptions.Converters.Add(new ValueJsonConverter());
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Thaiyyal workflow engine API";
            document.Info.Version = HealthEndpoints.ServiceVersion;
            return Task.CompletedTask;
        }));

        configureServices?.Invoke(services);

        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Thaiyyal.Server");
        storeLog.Value = log;
        StoredHttpClients.LoadInto(store, app.Services.GetRequiredService<OutboundHttp>().Clients, log);
        log.Fields(LogLevel.Information, "store opened", ("provider", store.Provider),
            ("location", store.Provider == "sqlite" ? Path.GetFullPath(settings.Store.DataDirectory) : "DATABASE_URL"));
        IFileProvider files = Directory.Exists(EditorFiles.ResolveWebRoot(settings))
            ? new PhysicalFileProvider(EditorFiles.ResolveWebRoot(settings))
            : new NullFileProvider();

        app.UseTrustedForwardedHeaders(settings);
        app.UsePanicRecovery(log);
        app.UseAccessLog(log);
        app.UseConnectionCloseWhileDraining(app.Services.GetRequiredService<ServerState>());
        app.UseSecurityHeaders();
        if (settings.MetricsAccess != MetricsAccess.Disabled) app.UseZeroHistogramSeries(app.Services.GetRequiredService<ServerMetrics>().ZeroHistograms());
        app.UseAdminListenerSeparation();
        // A worker replica (-role worker) serves health and metrics only: no editor, no API.
        var servesApi = settings.Executions.Role != ServerRole.Worker;
        if (servesApi) app.UseEditorStaticFiles(files);
        app.UseRouting();
        app.UseCors();
        app.UseApiKeyAuthentication(settings);
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        app.UseApiStatusBodies();
        if (servesApi) app.UseEditorFallback(files);

        if (servesApi)
        {
            var api = app.MapGroup("").RequireCors(ApiProtection.CorsPolicy);
            api.MapWorkflowApi();
            api.MapWorkflowTestApi();
            api.MapStoredWorkflowApi();
            api.MapNodeCatalogueApi();
            api.MapCheckApi();
            api.MapHttpClientApi();
            api.MapExecutionApi();
        }
        app.MapHealthApi();
        if (settings.MetricsAccess != MetricsAccess.Disabled) app.MapPrometheusScrapingEndpoint().DisableRateLimiting();
        if (servesApi)
        {
            app.MapOpenApi();
            // No font or telemetry requests to other hosts: the reference must work offline.
            app.MapScalarApiReference(o => o.WithTitle("Thaiyyal API").DisableDefaultFonts().DisableTelemetry());
        }
        else
        {
            app.MapFallback("{**path}", () => ApiResults.Error(StatusCodes.Status404NotFound, WorkerServesNoApi,
                "this replica runs -role worker: it takes queued runs and answers only /health and /metrics; send API requests to an api or all replica"));
        }
#if PROFILING
        if (adminListener) app.MapProfilingApi();
#endif
        return app;
    }

    /// <summary>
    /// Opens the store; its failures are counted and, once the app's logger exists (<paramref name="log"/>), logged as WARN
    /// (at most one record per operation every <see cref="StorageFailureLog.Interval"/>).
    /// </summary>
    private static IThaiyyalStore OpenStore(ServerSettings settings, StrongBox<ILogger?> log)
    {
        StorageMetrics.EnsureCreated();
        var failures = new StorageFailureLog(TimeProvider.System);
        var options = settings.Store with
        {
            OnError = (operation, error) =>
            {
                StorageMetrics.RecordError(operation);
                if (log.Value is { } logger && failures.ShouldLog(operation, out var unlogged))
                    logger.Fields(LogLevel.Warning, "storage operation failed", ("operation", operation), ("error", error.Message), ("suppressed", unlogged));
            },
        };
        // Build is synchronous (it returns the app); opening runs once, before any request.
        return StoreFactory.OpenAsync(options).GetAwaiter().GetResult();
    }

    /// <summary>Runs until SIGTERM/SIGINT. Exit code 0 after a graceful shutdown, 1 when the server cannot start.</summary>
    public static async Task<int> RunAsync(ServerSettings settings, IReadOnlyDictionary<string, string> environment)
    {
        WebApplication built;
        try
        {
            built = Build(settings, environment);
        }
        catch (StorageException ex)
        {
            await Console.Error.WriteLineAsync("thaiyyal-server: cannot open the store: " + ex.Message);
            return 1;
        }
        await using var app = built;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Thaiyyal.Server");
        LogConfiguration(log, settings);
        try
        {
            await app.StartAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            log.Fields(LogLevel.Error, "server failed to start", ("error", ex.Message));
            await Console.Error.WriteLineAsync("Server error: " + ex.Message);
            return 1;
        }
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The effective configuration (secrets redacted), the sources of non-default values, and start-up warnings.</summary>
    public static void LogConfiguration(ILogger log, ServerSettings settings)
    {
        var fields = new List<(string, object?)> { ("profile", settings.Profile.ToString().ToLowerInvariant()) };
        foreach (var s in settings.Effective.Where(s => s.Name != SettingDefinitions.Profile.Flag))
            fields.Add((s.Name.Replace('-', '_'), s.Value));
        fields.Add(("run_response_timeout", Engine.Compatibility.GoDuration.Format(settings.RunResponseTimeout)));
        fields.Add(("sources", settings.Effective.Where(s => s.Source != SettingSource.Default)
            .Select(s => new KeyValuePair<string, object?>(s.Name, s.Source.ToString().ToLowerInvariant())).ToList()));
        log.Fields(LogLevel.Information, "effective configuration", [.. fields]);
        foreach (var warning in settings.Warnings) log.Fields(LogLevel.Warning, warning);
        if (settings.Profiling && !ProfilingBuiltIn)
            log.Fields(LogLevel.Warning, "profiling was requested but this build has no profiling support (built with -p:EnableProfiling=false)");
        if (!settings.Address.IsLoopback && settings.ApiKeys.Count == 0)
            log.Fields(LogLevel.Warning, "listening beyond loopback without API keys: anyone who can reach the port can run workflows; set API_KEYS or bind to 127.0.0.1",
                ("address", settings.Address.ToString()));
        if (settings.Profiling && ProfilingBuiltIn && !settings.AdminAddress.IsLoopback)
            log.Fields(LogLevel.Warning, "the profiling admin listener is reachable beyond loopback", ("admin_addr", settings.AdminAddress.ToString()));
    }
}
