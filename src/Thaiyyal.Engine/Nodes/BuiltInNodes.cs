using Thaiyyal.Engine.Nodes.ArrayOperations;
using Thaiyyal.Engine.Nodes.ControlFlow;
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
        // Expressions (expression language and the nodes that are only expressions)
        new ExpressionNode(),
        new ConditionNode(),
        new SwitchNode(),
        new FilterNode(),
        new MapNode(),
        new ReduceNode(),
        new FindNode(),
        new PartitionNode(),
    ];
}
