using Thaiyyal.Engine.Nodes.InputOutput;
using Thaiyyal.Engine.Nodes.Operations;

namespace Thaiyyal.Engine.Nodes;

/// <summary>The node types every engine starts with.</summary>
internal static class BuiltInNodes
{
    public static IEnumerable<NodeExecutor> Create() =>
    [
        // Input/Output
        new NumberNode(),
        new TextInputNode(),
        new BooleanInputNode(),
        new DateInputNode(),
        new DateTimeInputNode(),
        new VisualizationNode(),
        new RendererNode(),
        // Input/Output: HTTP (issue 6)
        new HttpNode(),
        // Operations
        new OperationNode(),
        new TextOperationNode(),
    ];
}
