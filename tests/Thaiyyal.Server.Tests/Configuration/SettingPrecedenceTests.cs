using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Thaiyyal.Server.Configuration;
using Thaiyyal.Server.Tests.TestHost;
using Thaiyyal.Engine.Tests.Conformance;

namespace Thaiyyal.Server.Tests.Configuration;

/// <summary>Every setting goes through the same four configuration layers; bad values name their flag and source.</summary>
public sealed partial class SettingPrecedenceTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    /// <summary>A valid value for each setting whose default is empty or derived.</summary>
    private static readonly Dictionary<string, string> Samples = new(StringComparer.Ordinal)
    {
        ["run-queue-length"] = "5", ["workers"] = "2", ["instance-id"] = "replica-a", ["database-url"] = "postgres://u:p@db:5432/t",
        ["encryption-key"] = "a2V5", ["api-keys"] = "k1", ["api-keys-file"] = "", ["trusted-proxies"] = "10.0.0.0/8",
        ["cors-origins"] = "https://editor.example.com", ["web-root"] = "/srv/editor", ["http-allowed-domains"] = "a.example",
        ["http-blocked-domains"] = "b.example", ["http-allowed-networks"] = "10.1.0.0/16", ["http-blocked-networks"] = "10.2.0.0/16",
    };

    private static string Sample(SettingDefinition d) => Samples.TryGetValue(d.Flag, out var v) ? v : d.Default;

    private static EffectiveSetting Effective(SettingsLoadResult loaded, SettingDefinition d) =>
        (loaded.Settings ?? throw new InvalidOperationException(loaded.Error)).Effective.Single(e => e.Name == d.Flag);

    public static TheoryData<string> Flags() => [.. SettingDefinitions.All.Where(d => d.Flag != "api-keys-file").Select(d => d.Flag)];

    [Theory]
    [MemberData(nameof(Flags))]
    public void Each_setting_takes_its_flag_over_its_variable_over_its_default(string flag)
    {
        var d = SettingDefinitions.All.Single(s => s.Flag == flag);
        var value = Sample(d);
        var environment = new Dictionary<string, string> { [d.EnvironmentVariable!] = value };

        // The production profile (the default one) sets three limits itself.
        Assert.Contains(Effective(ServerSettingsLoader.Load([], NoEnvironment), d).Source, new[] { SettingSource.Default, SettingSource.Profile });
        var fromVariable = Effective(ServerSettingsLoader.Load([], environment), d);
        Assert.Equal(SettingSource.Environment, fromVariable.Source);
        if (!d.IsSecret) Assert.Equal(value, fromVariable.Value);
        Assert.Equal(SettingSource.Flag, Effective(ServerSettingsLoader.Load([$"-{flag}={value}"], environment), d).Source);
        Assert.Equal(SettingSource.Flag, Effective(ServerSettingsLoader.Load([$"--{flag}={value}"], environment), d).Source);
    }

    [Fact]
    public void The_operations_guide_tables_name_only_settings_that_exist_with_their_variable()
    {
        var documented = new List<(string Variable, string Flag)>();
        foreach (var path in new[] { Path.Combine(ConformanceCases.RepositoryRoot(), "docs", "operations.md"), Path.Combine(ConformanceCases.RepositoryRoot(), "..", "shared", "OPERATIONS_GUIDE.md") })
        {
            if (!File.Exists(path)) continue;
            foreach (Match row in TableRow().Matches(File.ReadAllText(path)))
                documented.Add((row.Groups["variable"].Value, row.Groups["flag"].Value));
        }
        Assert.True(documented.Count > 40, $"expected the configuration tables, found {documented.Count} rows");
        foreach (var (variable, flag) in documented)
        {
            var d = SettingDefinitions.All.SingleOrDefault(s => s.Flag == flag);
            Assert.True(d is not null, $"documented flag -{flag} is not a setting");
            Assert.Equal(variable, d.EnvironmentVariable);
        }
    }

    /// <summary>A table row with one variable and one flag: <c>| `MAX_NODES` | `-max-nodes` |</c>.</summary>
    [GeneratedRegex(@"^\|\s*`(?<variable>[A-Z_]+)`\s*\|\s*`-(?<flag>[a-z-]+)`\s*\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [Fact]
    public void Storage_history_and_replica_settings_follow_the_same_precedence()
    {
        var environment = new Dictionary<string, string>
        {
            ["THAIYYAL_DATA_DIR"] = "/from/env", ["HISTORY"] = "failures", ["WORKERS"] = "3", ["ROLE"] = "api", ["DATABASE_URL"] = "postgres://u:p@env:5432/t",
        };
        var fromEnvironment = ServerSettingsLoader.Load([], environment).Settings!;
        Assert.Equal(("/from/env", HistoryMode.Failures, 3, ServerRole.Api, "postgres://u:p@env:5432/t"), (fromEnvironment.Store.DataDirectory,
            fromEnvironment.Executions.History, fromEnvironment.Executions.Workers, fromEnvironment.Executions.Role, fromEnvironment.Store.DatabaseUrl));

        var fromFlags = ServerSettingsLoader.Load(["-data-dir", "/from/flag", "-history", "off", "-workers=5", "--role", "worker"], environment).Settings!;
        Assert.Equal(("/from/flag", HistoryMode.Off, 5, ServerRole.Worker), (fromFlags.Store.DataDirectory,
            fromFlags.Executions.History, fromFlags.Executions.Workers, fromFlags.Executions.Role));
        Assert.Equal("postgres://u:p@env:5432/t", fromFlags.Store.DatabaseUrl);
    }

    [Fact]
    public void Derived_defaults_are_logged_with_the_value_they_took()
    {
        var s = ServerSettingsLoader.Load(["-max-concurrent-runs", "7"], NoEnvironment).Settings!;
        Assert.Equal(7, s.RunQueueLength);
        Assert.Equal(new EffectiveSetting("run-queue-length", "7", SettingSource.Default), s.Effective.Single(e => e.Name == "run-queue-length"));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount), s.Executions.Workers);
        Assert.Equal(Environment.MachineName, s.Executions.InstanceId);
    }

    [Theory]
    [InlineData("WORKERS", "0", "invalid value \"0\" for -workers (from environment variable WORKERS): must be at least 1")]
    [InlineData("ROLE", "boss", "invalid value \"boss\" for -role (from environment variable ROLE): must be api, worker or all")]
    [InlineData("LEASE", "500ms", "invalid value \"500ms\" for -lease (from environment variable LEASE): must be at least 1s")]
    [InlineData("SSE_HEARTBEAT", "0s", "invalid value \"0s\" for -sse-heartbeat (from environment variable SSE_HEARTBEAT): must be positive")]
    [InlineData("HISTORY_MAX_RESULT_BYTES", "8", "invalid value \"8\" for -history-max-result-bytes (from environment variable HISTORY_MAX_RESULT_BYTES): must be at least 16")]
    [InlineData("RUN_QUEUE_LENGTH", "-1", "invalid value \"-1\" for -run-queue-length (from environment variable RUN_QUEUE_LENGTH): must not be negative")]
    [InlineData("RATE_LIMIT", "fast", "invalid value \"fast\" for -rate-limit (from environment variable RATE_LIMIT): not a number")]
    [InlineData("DATABASE_URL", "   ", null)]
    public void A_bad_variable_stops_start_up_with_a_message_naming_it(string variable, string value, string? message)
    {
        var loaded = ServerSettingsLoader.Load([], new Dictionary<string, string> { [variable] = value });
        if (message is null)
        {
            Assert.NotNull(loaded.Settings);
            return;
        }
        Assert.Null(loaded.Settings);
        Assert.Equal(2, loaded.ExitCode);
        Assert.Equal(message, loaded.Error);
    }

    [Fact]
    public void A_bad_profile_value_names_the_profile_as_its_source()
    {
        var loaded = ServerSettingsLoader.Load(["-profile", "strict", "-max-nodes", "-3"], NoEnvironment);
        Assert.Equal("invalid value \"-3\" for -max-nodes (from the command line): must not be negative", loaded.Error);
        var limits = ServerSettingsLoader.Load(["-profile", "strict"], NoEnvironment).Settings!;
        Assert.Equal(SettingSource.Profile, limits.Effective.Single(e => e.Name == "max-nodes").Source);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once_and_a_secret_stays_hidden()
    {
        var loaded = ServerSettingsLoader.Load(["-workers", "0", "-max-test-cases", "0"], new Dictionary<string, string> { ["CORS_ORIGINS"] = "*" });
        Assert.Equal("invalid value \"0\" for -max-test-cases (from the command line): must be at least 1; "
            + "invalid value \"*\" for -cors-origins (from environment variable CORS_ORIGINS): '*' is only allowed with the development profile; list the origins; "
            + "invalid value \"0\" for -workers (from the command line): must be at least 1", loaded.Error);
        Assert.NotNull(ServerSettingsLoader.Load([], new Dictionary<string, string> { ["CORS_ORIGINS"] = "*", ["THAIYYAL_PROFILE"] = "dev" }).Settings);
    }

    [Fact]
    public void Settings_built_in_code_are_checked_by_the_same_rules()
    {
        Assert.Empty(ServerSettingsValidator.Check(new ServerSettings()));
        var bad = new ServerSettings { MaxConcurrentRuns = 0, Executions = new ExecutionSettings { Lease = TimeSpan.FromMilliseconds(10) } };
        Assert.Equal(
            [
                "invalid value \"0\" for -max-concurrent-runs (set in code): must be at least 1",
                "invalid value \"10ms\" for -lease (set in code): must be at least 1s",
            ], ServerSettingsValidator.Check(bad));
        Assert.True(new ServerSettingsValidator().Validate(null, bad).Failed);
    }

    [Fact]
    public async Task A_host_given_bad_settings_in_code_refuses_to_start()
    {
        var settings = RunningServer.Settings() with { Executions = new ExecutionSettings { Workers = 0 } };
        await using var app = ServerApplication.Build(settings, NoEnvironment);
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Equal("invalid value \"0\" for -workers (set in code): must be at least 1", refused.Message);
    }
}
