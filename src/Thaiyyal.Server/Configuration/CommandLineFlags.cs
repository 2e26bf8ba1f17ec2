namespace Thaiyyal.Server.Configuration;

/// <summary>
/// Go <c>flag</c>-package syntax: <c>-name value</c>, <c>-name=value</c>, <c>--name value</c>, <c>--name=value</c>;
/// boolean flags take no separate value (<c>-profiling</c>, <c>-profiling=false</c>); <c>--</c> ends the flags;
/// <c>-h</c>/<c>-help</c> ask for usage. A repeated flag keeps its last value.
/// </summary>
public sealed class CommandLineFlags
{
    private CommandLineFlags(IReadOnlyDictionary<string, string> values, bool helpRequested, string? error)
    {
        Values = values;
        HelpRequested = helpRequested;
        Error = error;
    }

    /// <summary>Flag name (without dashes) → raw value.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    public bool HelpRequested { get; }

    /// <summary>Go's message for a malformed command line, e.g. <c>flag provided but not defined: -x</c>.</summary>
    public string? Error { get; }

    public static CommandLineFlags Parse(IReadOnlyList<string> args, IReadOnlyList<SettingDefinition> definitions)
    {
        var byName = definitions.ToDictionary(d => d.Flag, StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") return Positional(i + 1);
            if (arg.Length < 2 || arg[0] != '-') return Positional(i);
            var name = arg[1] == '-' ? arg[2..] : arg[1..];
            if (name.Length == 0 || name[0] == '-' || name[0] == '=') return Fail($"bad flag syntax: {arg}");
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            if (name is "h" or "help") return new CommandLineFlags(values, true, null);
            if (!byName.TryGetValue(name, out var definition)) return Fail($"flag provided but not defined: -{name}");
            if (definition.IsBoolean)
            {
                values[name] = value ?? "true";
                continue;
            }
            if (value is null)
            {
                if (i + 1 >= args.Count) return Fail($"flag needs an argument: -{name}");
                value = args[++i];
            }
            values[name] = value;
        }
        return new CommandLineFlags(values, false, null);

        CommandLineFlags Positional(int index) =>
            index < args.Count ? Fail($"unexpected argument: {args[index]} (the server takes flags only)") : new CommandLineFlags(values, false, null);

        CommandLineFlags Fail(string error) => new(values, false, error);
    }

    /// <summary>Go's <c>strconv.ParseBool</c>, as flags and the engine read booleans.</summary>
    public static bool TryParseBool(string text, out bool value) => Engine.Compatibility.GoStrconv.TryParseBool(text, out value);
}
