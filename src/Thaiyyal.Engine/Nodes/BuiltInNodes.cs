using Thaiyyal.Engine.Nodes.Advanced;
using Thaiyyal.Engine.Nodes.ArrayOperations;
using Thaiyyal.Engine.Nodes.ControlFlow;
using Thaiyyal.Engine.Nodes.ErrorHandling;
using Thaiyyal.Engine.Nodes.InputOutput;
using Thaiyyal.Engine.Nodes.Operations;
using Thaiyyal.Engine.Nodes.ParallelJoin;
using Thaiyyal.Engine.Nodes.StateMemory;
using Thaiyyal.Engine.Nodes.Utilities;

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
        // Operations
        new OperationNode(),
        new TextOperationNode(),
        // Scopes, error handling, timing and parallel (branch scopes)
        new ForEachNode(),
        new WhileLoopNode(),
        new RetryNode(),
        new TryCatchNode(),
        new TimeoutNode(),
        new DelayNode(),
        new RateLimiterNode(),
        new ThrottleNode(),
        new ParallelNode(),
        // Expressions (expression language and the nodes that are only expressions)
        new ExpressionNode(),
        new ConditionNode(),
        new SwitchNode(),
        new FilterNode(),
        new MapNode(),
        new ReduceNode(),
        new FindNode(),
        new PartitionNode(),
        // Data, state and array nodes (nodes branch)
        new TransformNode(),
        new ParseNode(),
        new ExtractNode(),
        new FormatNode(),
        new JoinNode(),
        new SplitNode(),
        new VariableNode(),
        new AccumulatorNode(),
        new CounterNode(),
        new CacheNode(),
        new ContextVariableNode(),
        new ContextConstantNode(),
        new SliceNode(),
        new SortNode(),
        new FlatMapNode(),
        new GroupByNode(),
        new UniqueNode(),
        new ChunkNode(),
        new ReverseNode(),
        new ZipNode(),
        new SampleNode(),
        new RangeNode(),
        new TransposeNode(),
        new CompactNode(),
        new SchemaValidatorNode(),
    ];
}
