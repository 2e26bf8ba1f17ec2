using Microsoft.Extensions.Options;

namespace Thaiyyal.Server.Configuration;

/// <summary>Registers the server's settings as options whose rules (<see cref="ServerSettingsValidator"/>) are checked when the host starts.</summary>
public static class ServerSettingsOptions
{
    /// <summary>
    /// The settings are one immutable record made before the host exists (listeners and logging need them), so the
    /// options factory hands out that record instead of binding a new one; <c>ValidateOnStart</c> still refuses to start
    /// with values the loader would have refused, which matters for settings an embedder built or changed in code.
    /// </summary>
    public static IServiceCollection AddValidatedSettings(this IServiceCollection services, ServerSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<IValidateOptions<ServerSettings>, ServerSettingsValidator>();
        services.AddSingleton<IOptionsFactory<ServerSettings>>(sp => new GivenSettingsFactory(settings, sp.GetServices<IValidateOptions<ServerSettings>>()));
        services.AddOptions<ServerSettings>().ValidateOnStart();
        return services;
    }

    private sealed class GivenSettingsFactory(ServerSettings settings, IEnumerable<IValidateOptions<ServerSettings>> validators)
        : OptionsFactory<ServerSettings>([], [], validators)
    {
        protected override ServerSettings CreateInstance(string name) => settings;
    }
}
