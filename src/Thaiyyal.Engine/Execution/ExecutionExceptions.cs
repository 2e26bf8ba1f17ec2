namespace Thaiyyal.Engine.Execution;

/// <summary>A node failed. The run fails with <c>error executing node &lt;id&gt;: &lt;Message&gt;</c>.</summary>
public class NodeExecutionException : Exception
{
    public NodeExecutionException(string message) : base(message) { }

    public NodeExecutionException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A run limit was reached (node executions, loop iterations, HTTP calls, sizes).</summary>
public sealed class ExecutionLimitException(string limit, string message) : NodeExecutionException(message)
{
    /// <summary>Which limit: <c>node_executions</c>, <c>loop_iterations</c>, <c>http_calls</c>, <c>array_length</c>, …</summary>
    public string Limit { get; } = limit;
}

/// <summary>
/// One node of a graph (the top level or one run of a scope body) failed: <c>error executing node &lt;id&gt;: &lt;message&gt;</c>.
/// <see cref="NodeContext.RunBodyAsync"/> throws it for a failing body node; a scope policy may catch it.
/// </summary>
internal sealed class NodeFailedException(string nodeId, string nodeMessage, Exception? inner = null)
    : NodeExecutionException($"error executing node {nodeId}: {nodeMessage}", inner ?? new InvalidOperationException(nodeMessage))
{
    /// <summary>The node that failed.</summary>
    public string NodeId { get; } = nodeId;

    /// <summary>The failed node's own message, without the <c>error executing node</c> prefix.</summary>
    public string NodeMessage { get; } = nodeMessage;

    /// <summary>The scopes the failed node ran in, outermost first; empty at the top level.</summary>
    public IReadOnlyList<ScopeFrame> ScopePath { get; init; } = [];

    /// <summary>The deepest failure of a node in this chain: where the problem really happened.</summary>
    public NodeFailedException Innermost()
    {
        var innermost = this;
        for (var ex = InnerException; ex is not null; ex = ex.InnerException)
        {
            if (ex is NodeFailedException deeper) innermost = deeper;
        }
        return innermost;
    }
}

/// <summary>The payload could not be turned into a runnable workflow.</summary>
public sealed class WorkflowException(WorkflowErrorKind kind, string message, string? nodeId = null) : Exception(message)
{
    /// <summary>Decode problem (bad JSON or data) or graph problem (cycles, unknown nodes or types).</summary>
    public WorkflowErrorKind Kind { get; } = kind;

    /// <summary>The node the problem is about, when there is one.</summary>
    public string? NodeId { get; } = nodeId;
}

/// <summary>Why a payload was rejected.</summary>
public enum WorkflowErrorKind
{
    /// <summary>Not valid JSON, a field of the wrong type, a missing required field, too large.</summary>
    Decode,
    /// <summary>Duplicate ids, edges to unknown nodes, unknown types, cycles, bad scopes, too many nodes or edges.</summary>
    Graph,
}
