using System.CommandLine;
using System.CommandLine.Parsing;
using Thaiyyal.Engine.Execution;

namespace Thaiyyal.Cli;

/// <summary>One command-line option per engine limit; defaults are the engine's.</summary>
internal sealed class LimitOptions
{
    private static readonly ExecutionLimits Defaults = ExecutionLimits.Default;

    public Option<TimeSpan> MaxExecutionTime { get; } = new("--max-execution-time")
    {
        Description = "Deadline for the whole run, as a Go duration (30s, 5m, 1h2m). 0 disables it.",
        DefaultValueFactory = _ => Defaults.MaxExecutionTime,
        CustomParser = ParseDuration,
    };

    public Option<int> MaxNodeExecutions { get; } = Count("--max-node-executions", "Node executions per run, scope bodies included.", Defaults.MaxNodeExecutions);

    public Option<int> MaxLoopIterations { get; } = Count("--max-loop-iterations", "Loop iterations per run, over every loop and scope body.", Defaults.MaxLoopIterations);

    public Option<int> MaxHttpCalls { get; } = Count("--max-http-calls", "HTTP requests per run, retries included.", Defaults.MaxHttpCalls);

    public Option<int> MaxStringLength { get; } = Count("--max-string-length", "Longest string a variable may hold, in UTF-8 bytes.", Defaults.MaxStringLength);

    public Option<int> MaxArrayLength { get; } = Count("--max-array-length", "Largest array a node may produce or a variable hold.", Defaults.MaxArrayLength);

    public Option<int> MaxContextDepth { get; } = Count("--max-context-depth", "Deepest nesting of a stored value.", Defaults.MaxContextDepth);

    public Option<int> MaxVariables { get; } = Count("--max-variables", "Number of distinct workflow variables.", Defaults.MaxVariables);

    public Option<int> MaxNodes { get; } = Count("--max-nodes", "Nodes in one payload.", Defaults.MaxNodes);

    public Option<int> MaxEdges { get; } = Count("--max-edges", "Edges in one payload.", Defaults.MaxEdges);

    public Option<int> MaxPayloadBytes { get; } = Count("--max-payload-bytes", "Size of the payload in bytes.", Defaults.MaxPayloadBytes);

    public Option<int> MaxJsonDepth { get; } = Count("--max-json-depth", "Nesting depth of JSON the engine reads.", Defaults.MaxJsonDepth);

    public Option<int> MaxExpressionLength { get; } = Count("--max-expression-length", "Longest expression text, in characters.", Defaults.MaxExpressionLength);

    public Option<int> MaxExpressionDepth { get; } = new("--max-expression-depth")
    {
        Description = $"Deepest nesting inside one expression (1 to {ExecutionLimits.ExpressionDepthCeiling}).",
        DefaultValueFactory = _ => Defaults.MaxExpressionDepth,
        Validators =
        {
            r =>
            {
                if (r.GetValueOrDefault<int>() is < 1 or > ExecutionLimits.ExpressionDepthCeiling)
                    r.AddError($"--max-expression-depth must be between 1 and {ExecutionLimits.ExpressionDepthCeiling}");
            },
        },
    };

    public Option<long> MaxResultBytes { get; } = new("--max-result-bytes")
    {
        Description = "Estimated JSON size of all node results of a run, in bytes. 0 disables the limit.",
        DefaultValueFactory = _ => Defaults.MaxResultBytes,
        Validators = { r => { if (r.GetValueOrDefault<long>() < 0) r.AddError("--max-result-bytes must not be negative"); } },
    };

    public Option<int> Parallelism { get; } = new("--parallelism")
    {
        Description = "Independent nodes that may run at the same time (1 = strictly sequential).",
        DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount),
        Validators = { r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--parallelism must be at least 1"); } },
    };

    public IEnumerable<Option> All =>
    [
        MaxExecutionTime, MaxNodeExecutions, MaxLoopIterations, MaxHttpCalls, MaxStringLength, MaxArrayLength,
        MaxContextDepth, MaxVariables, MaxNodes, MaxEdges, MaxPayloadBytes, MaxJsonDepth, MaxExpressionLength, MaxExpressionDepth,
        MaxResultBytes, Parallelism,
    ];

    public ExecutionLimits Read(ParseResult result) => new()
    {
        MaxExecutionTime = result.GetValue(MaxExecutionTime),
        MaxNodeExecutions = result.GetValue(MaxNodeExecutions),
        MaxLoopIterations = result.GetValue(MaxLoopIterations),
        MaxHttpCalls = result.GetValue(MaxHttpCalls),
        MaxStringLength = result.GetValue(MaxStringLength),
        MaxArrayLength = result.GetValue(MaxArrayLength),
        MaxContextDepth = result.GetValue(MaxContextDepth),
        MaxVariables = result.GetValue(MaxVariables),
        MaxNodes = result.GetValue(MaxNodes),
        MaxEdges = result.GetValue(MaxEdges),
        MaxPayloadBytes = result.GetValue(MaxPayloadBytes),
        MaxJsonDepth = result.GetValue(MaxJsonDepth),
        MaxExpressionLength = result.GetValue(MaxExpressionLength),
        MaxExpressionDepth = result.GetValue(MaxExpressionDepth),
        MaxResultBytes = result.GetValue(MaxResultBytes),
    };

    private static Option<int> Count(string name, string description, int defaultValue) => new(name)
    {
        Description = description + " 0 disables the limit.",
        DefaultValueFactory = _ => defaultValue,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError($"{name} must not be negative"); } },
    };

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Engine.Compatibility.GoDuration.TryParseStrict(text, out var duration) && duration >= TimeSpan.Zero) return duration;
        result.AddError($"--max-execution-time: invalid duration '{text}' (use formats like 30s, 5m, 1h2m)");
        return default;
    }
}
