using Thaiyyal.Engine.Graph;

namespace Thaiyyal.Engine;

/// <summary>A checked, bound workflow, ready to run any number of times (concurrently too).</summary>
public sealed class Workflow
{
    internal Workflow(WorkflowDefinition definition, GraphPlan plan)
    {
        Definition = definition;
        Plan = plan;
    }

    /// <summary>The nodes and edges as decoded.</summary>
    public WorkflowDefinition Definition { get; }

    public string? WorkflowId => Definition.WorkflowId;

    internal GraphPlan Plan { get; }
}
