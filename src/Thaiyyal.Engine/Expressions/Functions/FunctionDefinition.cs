namespace Thaiyyal.Engine.Expressions.Functions;

/// <summary>A function body: evaluated arguments in, value out; throws through <see cref="Evaluator.Error"/>.</summary>
internal delegate Value FunctionBody(ref Evaluator evaluator, CallNode call, ReadOnlySpan<Value> arguments);

/// <summary>A method body: the receiver and evaluated arguments in, value out.</summary>
internal delegate Value MethodBody(ref Evaluator evaluator, MethodNode call, Value receiver, ReadOnlySpan<Value> arguments);

/// <summary>How a function treats its arguments.</summary>
internal enum ArgumentMode : byte
{
    /// <summary>Every argument is evaluated first; a missing one makes the call missing.</summary>
    Values,
    /// <summary>Evaluated first, a missing field counts as null (<c>isNull</c>, <c>coalesce</c>).</summary>
    MissingAsNull,
    /// <summary>The body evaluates the arguments itself (<c>map</c> evaluates its second argument per element).</summary>
    Lazy,
}

/// <summary>One global function: its name, arity rule (checked at parse time) and body.</summary>
internal sealed class FunctionDefinition(string name, Func<int, string?> arityError, FunctionBody body, ArgumentMode mode = ArgumentMode.Values)
{
    public string Name { get; } = name;

    /// <summary>The error for a call with this many arguments, or null when the count is allowed.</summary>
    public Func<int, string?> ArityError { get; } = arityError;

    public FunctionBody Body { get; } = body;

    public ArgumentMode Mode { get; } = mode;

    public static Func<int, string?> Exactly(string name, int count) => n => n == count ? null
        : $"{name}() requires exactly {count} argument{(count == 1 ? "" : "s")}, got {n}";

    public static Func<int, string?> AtLeast(string name, int count, string noun = "argument") => n => n >= count ? null
        : count == 1 ? $"{name}() requires at least 1 {noun}" : $"{name}() requires at least {count} {noun}s, got {n}";
}

/// <summary>One method (<c>.trim()</c>, <c>.includes(x)</c>…): its name, exact argument count and body.</summary>
internal sealed class MethodDefinition(string name, int arguments, MethodBody body)
{
    public string Name { get; } = name;

    public int ArgumentCount { get; } = arguments;

    public MethodBody Body { get; } = body;

    public string? ArityError(int n)
    {
        if (n == ArgumentCount) return null;
        if (ArgumentCount == 0) return $"{Name}() takes no arguments, got {n}";
        return $"{Name}() requires exactly {ArgumentCount} argument{(ArgumentCount == 1 ? "" : "s")}, got {n}";
    }
}
