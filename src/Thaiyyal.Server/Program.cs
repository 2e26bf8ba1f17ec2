using System.Collections;
using Thaiyyal.Server;

// Before anything builds a Regex: the process default match timeout is read once (security.md, "Regular expressions").
Thaiyyal.Engine.Execution.RegexMatchTimeout.Install();

// Configuration: flags > environment > profile > defaults (docs/operations.md). A bad value stops here.
var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);
var loaded = ServerSettingsLoader.Load(args, environment);
if (loaded.Settings is not { } settings)
{
    if (loaded.Error is not null) await Console.Error.WriteLineAsync("thaiyyal-server: " + loaded.Error);
    await Console.Error.WriteAsync(ServerSettingsLoader.Usage());
    return loaded.ExitCode;
}

// OpenTelemetry's sampler variables are read by ServiceDefaults; a bad one stops here like a bad setting.
if (Thaiyyal.Server.Telemetry.TraceSampling.FromEnvironment(environment).Error is { } samplingError)
{
    await Console.Error.WriteLineAsync("thaiyyal-server: " + samplingError);
    return 2;
}

return await ServerApplication.RunAsync(settings, environment);
