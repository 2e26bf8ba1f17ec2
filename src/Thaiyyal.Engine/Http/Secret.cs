namespace Thaiyyal.Engine.Http;

/// <summary>
/// A credential (password, token, API key value). Prints and serialises as <c>***REDACTED***</c>, so a
/// configuration object that reaches a log or an exception message never carries the clear text.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    /// <summary>The text shown wherever a secret would otherwise appear.</summary>
    public const string Redacted = "***REDACTED***";

    private readonly string _value;

    public Secret(string value) => _value = value ?? "";

    /// <summary>The empty secret.</summary>
    public static Secret Empty { get; } = new("");

    public bool IsEmpty => _value.Length == 0;

    /// <summary>The clear text, for the one place that puts it on the wire.</summary>
    internal string Reveal() => _value;

    /// <summary><c>***REDACTED***</c>, or empty for an empty secret.</summary>
    public override string ToString() => IsEmpty ? "" : Redacted;

    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Secret other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
