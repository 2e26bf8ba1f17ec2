namespace Thaiyyal.Engine.Workflows;

/// <summary>A workflow as the payload describes it: nodes and edges, not yet checked or bound.</summary>
/// <param name="WorkflowId">Copied into the result; not interpreted.</param>
/// <param name="Nodes">The graph's vertices, in payload order.</param>
/// <param name="Edges">The graph's connections, in payload order (the order inputs are collected in).</param>
public sealed record WorkflowDefinition(string? WorkflowId, IReadOnlyList<NodeDefinition> Nodes, IReadOnlyList<EdgeDefinition> Edges);

/// <summary>One node of the payload.</summary>
/// <param name="Id">Key in <c>node_results</c>, edges and <c>node.&lt;id&gt;</c> references.</param>
/// <param name="Type">Type string; empty means "infer from data" (workflow-format.md §2.1).</param>
/// <param name="Data">Type-specific configuration, or <c>null</c> when the payload had none.</param>
/// <param name="ParentId">The scope node this node is a body node of (design/scopes.md).</param>
public sealed record NodeDefinition(string Id, string Type, ValueObject? Data, string? ParentId = null);

/// <summary>One edge of the payload.</summary>
/// <param name="Source">Upstream node id.</param>
/// <param name="Target">Downstream node id.</param>
/// <param name="SourceHandle">Output port; any non-null handle makes the edge conditional (§8).</param>
/// <param name="TargetHandle">Input port (informational).</param>
/// <param name="Id">Informational.</param>
public sealed record EdgeDefinition(string Source, string Target, string? SourceHandle = null, string? TargetHandle = null, string? Id = null);
