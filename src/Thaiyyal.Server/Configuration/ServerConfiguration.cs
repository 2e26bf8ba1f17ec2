using static Thaiyyal.Server.Configuration.SettingDefinitions;

namespace Thaiyyal.Server.Configuration;

/// <summary>
/// The server's configuration as four <see cref="IConfiguration"/> layers, lowest first: built-in defaults, the
/// selected profile, the documented environment variables (an empty variable counts as unset) and the command line
/// (the command-line provider with a switch mapping for each documented single-dash flag). Keys are the flag names.
/// </summary>
public static class ServerConfiguration
{
    /// <summary>Where each layer's values come from, in the order the layers are added.</summary>
    private static readonly SettingSource[] Layers = [SettingSource.Default, SettingSource.Profile, SettingSource.Environment, SettingSource.Flag];

    private static readonly IDictionary<string, string> SwitchMappings = CommandLineFlags.SwitchMappings(All);

    /// <param name="flags">The command line, already checked against Go's flag syntax.</param>
    /// <param name="environment">The process environment; only the documented variables are read.</param>
    /// <param name="profile">The profile's values (<see cref="SettingDefinitions.Profiles"/>); null while the profile itself is being read.</param>
    public static IConfigurationRoot Build(CommandLineFlags flags, IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string>? profile) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(All.Select(d => KeyValuePair.Create(d.Flag, (string?)d.Default)))
            .AddInMemoryCollection(profile?.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)) ?? [])
            .AddInMemoryCollection(All
                .Where(d => d.EnvironmentVariable is not null && environment.GetValueOrDefault(d.EnvironmentVariable) is { Length: > 0 })
                .Select(d => KeyValuePair.Create(d.Flag, (string?)environment[d.EnvironmentVariable!])))
            .AddCommandLine([.. flags.Arguments], SwitchMappings)
            .Build();

    /// <summary>The value of <paramref name="key"/> and the layer it came from (the highest that sets it).</summary>
    public static (string Text, SettingSource Source) Lookup(IConfigurationRoot configuration, string key)
    {
        var providers = configuration.Providers.ToList();
        for (var i = providers.Count - 1; i >= 0; i--)
            if (providers[i].TryGet(key, out var text)) return (text ?? "", Layers[i]);
        return ("", SettingSource.Default);
    }
}
