using Microsoft.Extensions.Logging;
using Thaiyyal.Server.Configuration;

namespace Thaiyyal.Server.Tests.Configuration;

public sealed class ServerSettingsLoaderTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static ServerSettings Load(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var result = ServerSettingsLoader.Load(args, environment);
        return result.Settings ?? throw new InvalidOperationException(result.Error);
    }

    private static string Error(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var result = ServerSettingsLoader.Load(args, environment);
        Assert.Null(result.Settings);
        Assert.Equal(2, result.ExitCode);
        return result.Error!;
    }

    [Fact]
    public void Defaults_are_the_operations_guide_table()
    {
        var s = Load(NoEnvironment);
        Assert.Equal(ServerProfile.Production, s.Profile);
        Assert.Equal(new ListenAddress("", 8080), s.Address);
        Assert.True(s.Address.IsAnyHost);
        Assert.Equal(TimeSpan.FromMinutes(5), s.Limits.MaxExecutionTime);
        Assert.Equal(10_000, s.Limits.MaxNodeExecutions);
        Assert.Equal(100, s.Limits.MaxHttpCalls);
        Assert.Equal(10_000, s.Limits.MaxLoopIterations);
        Assert.Equal(10_000, s.Limits.MaxArrayLength);
        Assert.Equal(TimeSpan.FromSeconds(30), s.ReadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), s.WriteTimeout);
        // Drain delay + shutdown timeout fit Docker's default 10 s stop grace period.
        Assert.Equal(TimeSpan.FromSeconds(6), s.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), s.DrainDelay);
        Assert.True(s.DrainDelay + s.ShutdownTimeout < TimeSpan.FromSeconds(10));
        Assert.Equal(10 * 1024 * 1024, s.MaxRequestBodyBytes);
        Assert.Equal(LogLevel.Information, s.LogLevel);
        Assert.False(s.Profiling);
        Assert.Equal(new ListenAddress("localhost", 6060), s.AdminAddress);
        Assert.Empty(s.CorsOrigins);
        // Admission is not tied to the CPU count: waiting runs hold no thread.
        Assert.Equal(64, s.MaxConcurrentRuns);
        Assert.Equal(64, s.RunQueueLength);
        Assert.Equal(32, s.MaxRunsPerClient);
        Assert.Equal(100, s.RateLimit);
        Assert.Equal(200, s.RateLimitBurst);
        Assert.Equal(200, s.ReadRateLimit);
        Assert.Empty(s.TrustedProxies);
    }

    [Fact]
    public void Trusted_proxies_are_cidrs_or_addresses_and_anything_else_is_named()
    {
        var s = Load(NoEnvironment, "-trusted-proxies", "10.0.0.0/8, 192.168.1.7,fd00::/8");
        Assert.Equal(["10.0.0.0/8", "192.168.1.7/32", "fd00::/8"], s.TrustedProxies.Select(n => n.ToString()));
        var bad = ServerSettingsLoader.Load(["-trusted-proxies", "10.0.0.0/8,proxy.local"], NoEnvironment);
        Assert.Null(bad.Settings);
        Assert.Contains("\"proxy.local\" is not a CIDR", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_documented_environment_variable_is_read()
    {
        var s = Load(new Dictionary<string, string>
        {
            ["SERVER_ADDR"] = "127.0.0.1:9001",
            ["MAX_EXECUTION_TIME"] = "1h2m",
            ["MAX_NODE_EXECUTIONS"] = "123",
            ["MAX_HTTP_CALLS"] = "7",
            ["MAX_LOOP_ITERATIONS"] = "55",
            ["MAX_ARRAY_LENGTH"] = "99",
            ["LOG_LEVEL"] = "DEBUG",
        });
        Assert.Equal(new ListenAddress("127.0.0.1", 9001), s.Address);
        Assert.Equal(TimeSpan.FromMinutes(62), s.Limits.MaxExecutionTime);
        Assert.Equal(123, s.Limits.MaxNodeExecutions);
        Assert.Equal(7, s.Limits.MaxHttpCalls);
        Assert.Equal(55, s.Limits.MaxLoopIterations);
        Assert.Equal(99, s.Limits.MaxArrayLength);
        Assert.Equal(LogLevel.Debug, s.LogLevel);
    }

    [Fact]
    public void Every_documented_flag_is_read()
    {
        var s = Load(NoEnvironment, "-addr", ":9002", "-read-timeout", "5s", "-write-timeout", "45s", "-max-execution-time", "30s",
            "-max-node-executions", "5000", "-max-http-calls", "50", "-max-loop-iterations", "77", "-shutdown-timeout", "20s",
            "-profile", "strict", "-admin-addr", "127.0.0.1:7070", "-log-level", "warn");
        Assert.Equal(9002, s.Address.Port);
        Assert.Equal(TimeSpan.FromSeconds(5), s.ReadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), s.WriteTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Limits.MaxExecutionTime);
        Assert.Equal(5000, s.Limits.MaxNodeExecutions);
        Assert.Equal(50, s.Limits.MaxHttpCalls);
        Assert.Equal(77, s.Limits.MaxLoopIterations);
        Assert.Equal(TimeSpan.FromSeconds(20), s.ShutdownTimeout);
        Assert.Equal(ServerProfile.Strict, s.Profile);
        Assert.Equal(new ListenAddress("127.0.0.1", 7070), s.AdminAddress);
        Assert.Equal(LogLevel.Warning, s.LogLevel);
    }

    [Fact]
    public void Flags_beat_environment_which_beats_profile_which_beats_defaults()
    {
        var environment = new Dictionary<string, string> { ["THAIYYAL_PROFILE"] = "development", ["MAX_NODE_EXECUTIONS"] = "2222" };
        var s = Load(environment, "-max-http-calls", "3");
        Assert.Equal(3, s.Limits.MaxHttpCalls);                              // flag over profile (500)
        Assert.Equal(2222, s.Limits.MaxNodeExecutions);                      // environment over profile (50000)
        Assert.Equal(TimeSpan.FromMinutes(10), s.Limits.MaxExecutionTime);  // profile over default (5m)
        Assert.Equal(10_000, s.Limits.MaxLoopIterations);                   // default
        var sources = s.Effective.ToDictionary(e => e.Name, e => e.Source);
        Assert.Equal(SettingSource.Flag, sources["max-http-calls"]);
        Assert.Equal(SettingSource.Environment, sources["max-node-executions"]);
        Assert.Equal(SettingSource.Profile, sources["max-execution-time"]);
        Assert.Equal(SettingSource.Default, sources["max-loop-iterations"]);

        var flagWins = Load(new Dictionary<string, string> { ["MAX_NODE_EXECUTIONS"] = "2222" }, "-max-node-executions=11");
        Assert.Equal(11, flagWins.Limits.MaxNodeExecutions);
    }

    [Fact]
    public void The_result_size_limit_comes_from_its_flag_or_variable()
    {
        Assert.Equal(64L * 1024 * 1024, Load(NoEnvironment).Limits.MaxResultBytes);
        Assert.Equal(5_000_000_000L, Load(new Dictionary<string, string> { ["MAX_RESULT_BYTES"] = "5000000000" }).Limits.MaxResultBytes);
        Assert.Equal(1234, Load(NoEnvironment, "-max-result-bytes", "1234").Limits.MaxResultBytes);
    }

    [Fact]
    public void The_profile_flag_beats_the_profile_variable()
    {
        var s = Load(new Dictionary<string, string> { ["THAIYYAL_PROFILE"] = "development" }, "-profile", "strict");
        Assert.Equal(ServerProfile.Strict, s.Profile);
    }

    [Theory]
    [InlineData("development", 600, 50_000, 500)]
    [InlineData("production", 300, 10_000, 100)]
    [InlineData("strict", 30, 1_000, 10)]
    public void Profiles_have_the_guide_values(string profile, int seconds, int nodeExecutions, int httpCalls)
    {
        var s = Load(new Dictionary<string, string> { ["THAIYYAL_PROFILE"] = profile });
        Assert.Equal(TimeSpan.FromSeconds(seconds), s.Limits.MaxExecutionTime);
        Assert.Equal(nodeExecutions, s.Limits.MaxNodeExecutions);
        Assert.Equal(httpCalls, s.Limits.MaxHttpCalls);
    }

    [Fact]
    public void Strict_uses_the_validation_preset_structure_limits_and_development_turns_profiling_on()
    {
        var strict = Load(NoEnvironment, "-profile", "strict");
        Assert.Equal(100, strict.Limits.MaxNodes);
        Assert.Equal(1000, strict.Limits.MaxEdges);
        Assert.Equal(100 * 1024, strict.Limits.MaxStringLength);
        Assert.Equal(1000, strict.Limits.MaxArrayLength);
        Assert.Equal(16, strict.Limits.MaxContextDepth);
        Assert.Equal(100, strict.Limits.MaxVariables);
        Assert.Equal(16L * 1024 * 1024, strict.Limits.MaxResultBytes);
        Assert.False(strict.Profiling);
        Assert.True(Load(NoEnvironment, "-profile", "development").Profiling);
        Assert.False(Load(NoEnvironment, "-profile", "production").Profiling);
        Assert.False(Load(NoEnvironment, "-profile", "development", "-profiling=false").Profiling);
    }

    [Theory]
    [InlineData("-max-execution-time", "5 minutes", "invalid value \"5 minutes\" for -max-execution-time (from the command line): not a duration")]
    [InlineData("-max-execution-time", "-1s", "for -max-execution-time (from the command line): must not be negative")]
    [InlineData("-max-node-executions", "lots", "invalid value \"lots\" for -max-node-executions (from the command line): not an integer")]
    [InlineData("-max-http-calls", "-1", "-max-http-calls (from the command line): must not be negative")]
    [InlineData("-addr", "8080", "-addr (from the command line): missing port")]
    [InlineData("-addr", ":99999", "-addr (from the command line): invalid port")]
    [InlineData("-profile", "staging", "-profile (from the command line): must be development, production or strict")]
    [InlineData("-profiling=maybe", null, "-profiling (from the command line): must be true or false")]
    [InlineData("-cors-origins", "*", "'*' is only allowed with the development profile")]
    [InlineData("-cors-origins", "example.com", "\"example.com\" is not an origin")]
    [InlineData("-log-format", "xml", "-log-format (from the command line): must be json or text")]
    [InlineData("-max-concurrent-runs", "0", "-max-concurrent-runs (from the command line): must be at least 1")]
    [InlineData("-max-workflow-bytes", "-1", "-max-workflow-bytes (from the command line): must not be negative")]
    [InlineData("-max-store-bytes", "1MB", "-max-store-bytes (from the command line): not an integer")]
    [InlineData("-history-retention", "0s", "-history-retention (from the command line): must be longer than 0s")]
    [InlineData("-history-max-executions", "0", "-history-max-executions (from the command line): must be at least 1")]
    public void A_bad_flag_value_names_the_setting(string flag, string? value, string message)
    {
        string[] args = value is null ? [flag] : [flag, value];
        Assert.Contains(message, Error(NoEnvironment, args), StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_settings_come_from_flags_and_variables_and_secrets_are_redacted()
    {
        var defaults = Load(NoEnvironment);
        Assert.Equal(("./data", null, null, 1_048_576L, 268_435_456L), (defaults.Store.DataDirectory, defaults.Store.DatabaseUrl,
            defaults.Store.EncryptionKey, defaults.Store.MaxWorkflowBytes, defaults.Store.MaxTotalWorkflowBytes));
        Assert.Equal((TimeSpan.FromDays(14), 100_000), (defaults.HistoryRetention, defaults.HistoryMaxExecutions));

        var set = Load(new Dictionary<string, string>
        {
            ["THAIYYAL_DATA_DIR"] = "/var/lib/thaiyyal",
            ["DATABASE_URL"] = "postgres://u:hunter2@db:5432/thaiyyal",
            ["THAIYYAL_ENCRYPTION_KEY"] = "a2V5",
        }, "-max-workflow-bytes", "2048", "-max-stored-workflows", "7");
        Assert.Equal("/var/lib/thaiyyal", set.Store.DataDirectory);
        Assert.Equal("postgres://u:hunter2@db:5432/thaiyyal", set.Store.DatabaseUrl);
        Assert.Equal("a2V5", set.Store.EncryptionKey);
        Assert.Equal((2048L, 7), (set.Store.MaxWorkflowBytes, set.Store.MaxWorkflows));
        Assert.DoesNotContain(set.Effective, e => e.Value.Contains("hunter2", StringComparison.Ordinal) || e.Value.Contains("a2V5", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("MAX_EXECUTION_TIME", "soon", "for -max-execution-time (from environment variable MAX_EXECUTION_TIME): not a duration")]
    [InlineData("MAX_NODE_EXECUTIONS", "1.5", "for -max-node-executions (from environment variable MAX_NODE_EXECUTIONS): not an integer")]
    [InlineData("SERVER_ADDR", "localhost", "for -addr (from environment variable SERVER_ADDR): missing port")]
    [InlineData("THAIYYAL_PROFILE", "fast", "for -profile (from environment variable THAIYYAL_PROFILE)")]
    [InlineData("MAX_ARRAY_LENGTH", "-5", "for -max-array-length (from environment variable MAX_ARRAY_LENGTH): must not be negative")]
    public void A_bad_environment_value_names_the_variable(string variable, string value, string message)
    {
        Assert.Contains(message, Error(new Dictionary<string, string> { [variable] = value }), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_log_level_falls_back_to_info_with_a_warning()
    {
        var s = Load(new Dictionary<string, string> { ["LOG_LEVEL"] = "verbose" });
        Assert.Equal(LogLevel.Information, s.LogLevel);
        Assert.Contains(s.Warnings, w => w.Contains("unknown log level \"verbose\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("warning", LogLevel.Warning)]
    [InlineData("Error", LogLevel.Error)]
    [InlineData("info", LogLevel.Information)]
    public void Log_levels_are_case_insensitive(string text, LogLevel level)
    {
        Assert.Equal(level, Load(new Dictionary<string, string> { ["LOG_LEVEL"] = text }).LogLevel);
    }

    [Fact]
    public void Secrets_are_redacted_in_the_effective_configuration_and_in_errors()
    {
        var s = Load(NoEnvironment, "-api-keys", "k1,k2");
        Assert.Equal(["k1", "k2"], s.ApiKeys);
        Assert.Equal("***REDACTED***", s.Effective.Single(e => e.Name == "api-keys").Value);
        Assert.DoesNotContain(s.Effective, e => e.Value.Contains("k1", StringComparison.Ordinal));
    }

    [Fact]
    public void Api_keys_can_come_from_a_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["# keys", "alpha", "", "  beta  "]);
            var s = Load(NoEnvironment, "-api-keys", "gamma", "-api-keys-file", file);
            Assert.Equal(["gamma", "alpha", "beta"], s.ApiKeys);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Contains("-api-keys-file (from the command line): cannot read the file", Error(NoEnvironment, "-api-keys-file", "/nonexistent/keys"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_run_response_deadline_is_never_shorter_than_the_execution_limit()
    {
        var s = Load(NoEnvironment, "-write-timeout", "30s", "-max-execution-time", "5m");
        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5), s.RunResponseTimeout);
        var longWrite = Load(NoEnvironment, "-write-timeout", "10m", "-max-execution-time", "1m");
        Assert.Equal(TimeSpan.FromMinutes(10), longWrite.RunResponseTimeout);
    }

    [Fact]
    public void Empty_environment_variables_count_as_unset()
    {
        Assert.Equal(8080, Load(new Dictionary<string, string> { ["SERVER_ADDR"] = "" }).Address.Port);
    }

    [Fact]
    public void Usage_lists_every_flag_with_its_variable()
    {
        var usage = ServerSettingsLoader.Usage();
        foreach (var d in SettingDefinitions.All)
        {
            Assert.Contains("-" + d.Flag, usage, StringComparison.Ordinal);
            if (d.EnvironmentVariable is not null) Assert.Contains(d.EnvironmentVariable, usage, StringComparison.Ordinal);
        }
        Assert.True(ServerSettingsLoader.Load(["-h"], NoEnvironment) is { HelpRequested: true, ExitCode: 0 });
    }

    [Fact]
    public void The_outbound_http_policy_comes_through_the_same_layers()
    {
        var production = Load(NoEnvironment);
        Assert.False(production.Http.AllowLocalhost);
        Assert.False(production.Http.AllowPrivateIps);
        Assert.Equal([80, 443], production.Http.AllowedPorts);

        var development = Load(new Dictionary<string, string> { ["THAIYYAL_PROFILE"] = "development" });
        Assert.True(development.Http.AllowLocalhost);
        Assert.True(development.Http.AllowPrivateIps);
        Assert.False(development.Http.AllowCloudMetadata);
        Assert.False(Load(new Dictionary<string, string> { ["THAIYYAL_PROFILE"] = "development" }, "-http-allow-localhost=false").Http.AllowLocalhost);

        var configured = Load(new Dictionary<string, string> { ["HTTP_ALLOWED_DOMAINS"] = "api.example.com,*.example.org", ["HTTP_TIMEOUT"] = "5s" },
            "-http-allow-localhost", "-http-allowed-ports=");
        Assert.True(configured.Http.AllowLocalhost);
        Assert.Empty(configured.Http.AllowedPorts);
        Assert.Equal(["api.example.com", "*.example.org"], configured.Http.AllowedHosts);
        Assert.Equal(TimeSpan.FromSeconds(5), configured.Http.Timeout);
    }

    [Theory]
    [InlineData("HTTP_TIMEOUT", "soon", "for -http-timeout (from environment variable HTTP_TIMEOUT)")]
    [InlineData("HTTP_ALLOW_LOCALHOST", "maybe", "for -http-allow-localhost (from environment variable HTTP_ALLOW_LOCALHOST)")]
    [InlineData("HTTP_ALLOWED_NETWORKS", "10.0.0.0/99", "for -http-allowed-networks (from environment variable HTTP_ALLOWED_NETWORKS)")]
    public void A_bad_outbound_http_setting_names_the_setting(string variable, string value, string message)
    {
        Assert.Contains(message, Error(new Dictionary<string, string> { [variable] = value }), StringComparison.Ordinal);
    }
}
