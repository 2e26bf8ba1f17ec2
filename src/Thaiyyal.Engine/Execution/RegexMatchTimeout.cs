namespace Thaiyyal.Engine.Execution;

/// <summary>
/// The match timeout of every regular expression a payload supplies. The engine builds its own regexes with it;
/// JsonSchema.Net builds the ones it matches without a timeout, so they take the process default
/// <c>REGEX_DEFAULT_MATCH_TIMEOUT</c>, which .NET reads once, when the first regex of the process is built. Our
/// hosts call <see cref="Install"/> first thing in <c>Main</c> as a second line of defence behind the schema
/// validator's own screening of patterns (the engine calls it too, which helps only if no regex exists yet).
/// </summary>
public static class RegexMatchTimeout
{
    private const string SettingName = "REGEX_DEFAULT_MATCH_TIMEOUT";

    /// <summary>Longest a single regular-expression match may run.</summary>
    internal static TimeSpan Limit { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Sets the process default match timeout unless the host has set one already.</summary>
    public static void Install()
    {
        if (AppContext.GetData(SettingName) is null) AppContext.SetData(SettingName, Limit);
    }
}
