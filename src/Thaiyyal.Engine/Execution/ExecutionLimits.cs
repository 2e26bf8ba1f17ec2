namespace Thaiyyal.Engine.Execution;

/// <summary>
/// Resource limits for one run (workflow-format.md §12). Zero disables a count or size limit.
/// The defaults are the original engine's Default preset with the operations guide's loop limit.
/// </summary>
public sealed record ExecutionLimits
{
    /// <summary>Deadline for the whole run: <c>workflow execution timeout: exceeded 5m0s</c>.</summary>
    public TimeSpan MaxExecutionTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Node executions per run, body executions included.</summary>
    public int MaxNodeExecutions { get; init; } = 10_000;

    /// <summary>Loop iterations per run, over every loop and scope body.</summary>
    public int MaxLoopIterations { get; init; } = 10_000;

    /// <summary>HTTP requests per run, retries and scope bodies included.</summary>
    public int MaxHttpCalls { get; init; } = 100;

    /// <summary>Longest string a variable may hold, in UTF-8 bytes.</summary>
    public int MaxStringLength { get; init; } = 1024 * 1024;

    /// <summary>Largest array a node may produce or a variable hold.</summary>
    public int MaxArrayLength { get; init; } = 10_000;

    /// <summary>Deepest nesting of a stored value.</summary>
    public int MaxContextDepth { get; init; } = 32;

    /// <summary>Number of distinct workflow variables.</summary>
    public int MaxVariables { get; init; } = 1_000;

    /// <summary>Nodes in one payload (body nodes included).</summary>
    public int MaxNodes { get; init; } = 20_000;

    /// <summary>Edges in one payload.</summary>
    public int MaxEdges { get; init; } = 100_000;

    /// <summary>Size of a payload in bytes.</summary>
    public int MaxPayloadBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>
    /// Estimated JSON size of every node result of a run, scope bodies included, counted as results are produced:
    /// <c>result size exceeded</c>. The default is 64 MiB.
    /// </summary>
    public long MaxResultBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Nesting depth of JSON read by the engine (payloads, parse input, HTTP bodies).</summary>
    public int MaxJsonDepth { get; init; } = 128;

    /// <summary>Longest expression text, in characters (checked when a workflow is decoded).</summary>
    public int MaxExpressionLength { get; init; } = 16 * 1024;

    /// <summary>
    /// Deepest nesting of parentheses, calls, prefixes and conditionals in one expression. Also bounds the
    /// evaluator's recursion, so it stays capped at <see cref="ExpressionDepthCeiling"/> whatever is configured.
    /// </summary>
    public int MaxExpressionDepth { get; init; } = 64;

    /// <summary>The highest expression depth the engine accepts: deeper nesting could exhaust a thread's stack.</summary>
    public const int ExpressionDepthCeiling = 1024;

    /// <summary>The expression limits these limits imply (zero disables the length limit; depth stays capped).</summary>
    internal Expressions.ExpressionLimits ExpressionLimits => new()
    {
        MaxLength = MaxExpressionLength,
        MaxDepth = MaxExpressionDepth is > 0 and <= ExpressionDepthCeiling ? MaxExpressionDepth : ExpressionDepthCeiling,
    };

    /// <summary>The engine's defaults.</summary>
    public static ExecutionLimits Default { get; } = new();
}
