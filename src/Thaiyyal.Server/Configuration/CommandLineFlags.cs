namespace Thaiyyal.Server.Configuration;

/// <summary>
/// Go <c>flag</c>-package syntax checked before the command line reaches the configuration's command-line provider:
/// <c>-name value</c>, <c>-name=value</c>, <c>--name value</c>, <c>--name=value</c>; boolean flags take no separate
/// value (<c>-profiling</c> is rewritten to <c>-profiling=true</c>); <c>--</c> ends the flags; <c>-h</c>/<c>-help</c>
/// ask for usage. The provider on its own would skip unknown or malformed arguments silently; Go refuses them.
/// </summary>
public sealed class CommandLineFlags
{
    private CommandLineFlags(IReadOnlyList<string> arguments, bool helpRequested, string? error)
    {
        Arguments = arguments;
        HelpRequested = helpRequested;
        Error = error;
    }

    /// <summary>The flags in a form the command-line provider reads the Go way (booleans spelled out, nothing after <c>--</c>).</summary>
    public IReadOnlyList<string> Arguments { get; }

    public bool HelpRequested { get; }

    /// <summary>Go's message for a malformed command line, e.g. <c>flag provided but not defined: -x</c>.</summary>
    public string? Error { get; }

    public static CommandLineFlags Parse(IReadOnlyList<string> args, IReadOnlyList<SettingDefinition> definitions)
    {
        var byName = definitions.ToDictionary(d => d.Flag, StringComparer.Ordinal);
        var arguments = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") return Positional(i + 1);
            if (arg.Length < 2 || arg[0] != '-') return Positional(i);
            var name = arg[1] == '-' ? arg[2..] : arg[1..];
            if (name.Length == 0 || name[0] == '-' || name[0] == '=') return Fail($"bad flag syntax: {arg}");
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            var hasValue = eq >= 0;
            if (hasValue) name = name[..eq];
            if (name is "h" or "help") return new CommandLineFlags(arguments, true, null);
            if (!byName.TryGetValue(name, out var definition)) return Fail($"flag provided but not defined: -{name}");
            if (hasValue) arguments.Add("-" + name + arg[(arg.IndexOf('=', StringComparison.Ordinal))..]);
            else if (definition.IsBoolean) arguments.Add($"-{name}=true");
            else if (i + 1 >= args.Count) return Fail($"flag needs an argument: -{name}");
            else arguments.AddRange(["-" + name, args[++i]]);
        }
        return new CommandLineFlags(arguments, false, null);

        CommandLineFlags Positional(int index) =>
            index < args.Count ? Fail($"unexpected argument: {args[index]} (the server takes flags only)") : new CommandLineFlags(arguments, false, null);

        CommandLineFlags Fail(string error) => new(arguments, false, error);
    }

    /// <summary>The command-line provider's switch mappings: each documented single-dash flag to its configuration key.</summary>
    public static IDictionary<string, string> SwitchMappings(IEnumerable<SettingDefinition> definitions) =>
        definitions.ToDictionary(d => "-" + d.Flag, d => d.Flag, StringComparer.Ordinal);

    /// <summary>Go's <c>strconv.ParseBool</c>, as flags and the engine read booleans.</summary>
    public static bool TryParseBool(string text, out bool value) => Engine.Compatibility.GoStrconv.TryParseBool(text, out value);
}
