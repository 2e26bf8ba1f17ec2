using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Thaiyyal.Server.Health;

namespace Thaiyyal.Server.Hosting;

/// <summary>
/// Logging, telemetry, health checks and the shutdown sequence in one place (eShop's <c>AddServiceDefaults</c>).
/// Metrics: the engine's meter (<see cref="EngineMetrics.MeterName"/>), ASP.NET Core's and the .NET runtime's,
/// exported for Prometheus at <c>/metrics</c>. Traces: the engine's <see cref="EngineTracing.SourceName"/> spans
/// under ASP.NET Core's request span (an incoming <c>traceparent</c> is honoured), exported over OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class ServiceDefaults
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, ServerSettings settings, IReadOnlyDictionary<string, string> environment)
    {
        builder.AddJsonLogging(settings);

        var serviceName = environment.TryGetValue("OTEL_SERVICE_NAME", out var name) && name.Length > 0 ? name : HealthEndpoints.ServiceName;
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName, serviceVersion: HealthEndpoints.ServiceVersion)
                .AddAttributes([new("deployment.environment", settings.Profile.ToString().ToLowerInvariant())]))
            .WithMetrics(metrics => metrics
                .AddMeter(EngineMetrics.MeterName)
                .AddMeter(Telemetry.ServerMetrics.MeterName)
                .AddMeter("System.Runtime")
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing => tracing
                .SetSampler(Telemetry.TraceSampling.FromEnvironment(environment).Sampler ?? new ParentBasedSampler(new AlwaysOnSampler()))
                .AddSource(EngineTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/metrics"))
                .AddHttpClientInstrumentation());
        if (environment.TryGetValue("OTEL_EXPORTER_OTLP_ENDPOINT", out var endpoint) && endpoint.Length > 0)
        {
            // The exporter reads OTEL_EXPORTER_OTLP_* from configuration; pass the ones the server was given.
            builder.Configuration.AddInMemoryCollection(environment.Where(e => e.Key.StartsWith("OTEL_", StringComparison.Ordinal))
                .Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));
            otel.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks()
            .AddCheck<EngineHealthCheck>("engine", HealthStatus.Unhealthy, [HealthEndpoints.CriticalTag, HealthEndpoints.ReadyTag], HealthEndpoints.CheckTimeout)
            .AddCheck<ShutdownHealthCheck>("shutdown", HealthStatus.Unhealthy, [HealthEndpoints.CriticalTag, HealthEndpoints.ReadyTag], HealthEndpoints.CheckTimeout)
            // Not a readiness check: a busy replica queues and keeps taking traffic (the queue answers 429 when full).
            .AddCheck<CapacityHealthCheck>("capacity", HealthStatus.Degraded, [], HealthEndpoints.CheckTimeout)
            .AddCheck<StoreHealthCheck>("store", HealthStatus.Degraded, [], HealthEndpoints.CheckTimeout);
        if (settings.Executions.Role == ServerRole.Api)
        {
            builder.Services.AddHealthChecks().AddCheck<ApiRoleStoreReadinessCheck>("database", HealthStatus.Unhealthy,
                [HealthEndpoints.ReadyTag], HealthEndpoints.CheckTimeout);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServerState>();
        builder.Services.AddSingleton<Telemetry.ServerMetrics>();
        builder.Services.AddSingleton<IConfigureOptions<HostOptions>, HostShutdownOptions>();
        builder.Services.AddHostedService<ServerLifecycle>();
        return builder;
    }

    /// <summary>
    /// One record per line on stdout in the operations guide's shape; <c>LOG_LEVEL</c> sets the level for our
    /// records, framework records stay at WARN unless the level is DEBUG.
    /// </summary>
    private static void AddJsonLogging(this WebApplicationBuilder builder, ServerSettings settings)
    {
        var logging = builder.Logging;
        logging.ClearProviders();
        logging.SetMinimumLevel(settings.LogLevel);
        logging.AddFilter("Microsoft", settings.LogLevel <= LogLevel.Debug ? LogLevel.Information : LogLevel.Warning);
        logging.AddFilter("System", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // A degraded check (the store, capacity) is in /health's body; the framework's WARN for it at every call would
        // repeat it at each probe for as long as it lasts. Failing checks are still logged (ERROR).
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", settings.LogLevel <= LogLevel.Debug ? LogLevel.Debug : LogLevel.Error);
        // Our own provider rather than AddConsole: same lines, formatted on the logging thread into a reused UTF-8
        // buffer and written in batches by one writer thread (docs/performance.md, "Where the time goes").
        builder.Services.Configure<GoStyleConsoleFormatterOptions>(o => o.Json = settings.LogFormat == LogFormat.Json);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, GoStyleLoggerProvider>());
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
    }
}
