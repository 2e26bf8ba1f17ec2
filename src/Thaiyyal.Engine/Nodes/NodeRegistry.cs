using System.Collections.Concurrent;

namespace Thaiyyal.Engine.Nodes;

/// <summary>Maps type strings to executors. Built-ins come from <see cref="CreateDefault"/>; add your own with <see cref="Register"/>.</summary>
public sealed class NodeRegistry
{
    private readonly ConcurrentDictionary<string, NodeExecutor> _executors = new(StringComparer.Ordinal);
    private volatile TypeInference? _inference;

    /// <summary>A registry with every built-in node type.</summary>
    public static NodeRegistry CreateDefault()
    {
        var registry = new NodeRegistry();
        foreach (var executor in BuiltInNodes.Create()) registry.Register(executor);
        return registry;
    }

    /// <summary>Adds or replaces the executor for its descriptor's type string.</summary>
    public NodeRegistry Register(NodeExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var type = executor.Descriptor.Type;
        if (string.IsNullOrWhiteSpace(type)) throw new ArgumentException("node type must not be empty", nameof(executor));
        _executors[type] = executor;
        _inference = null;
        return this;
    }

    /// <summary>
    /// The type a payload node without <c>type</c> gets from its data keys (workflow-format.md §2.1), by the
    /// <see cref="NodeDescriptor.Inference"/> rules of the registered types; <c>""</c> when none matches.
    /// </summary>
    public string InferType(ValueObject data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var inference = _inference ??= new TypeInference(_executors.Values.Select(e => e.Descriptor));
        return inference.Infer(data);
    }

    /// <summary>The executor for <paramref name="type"/>, if registered.</summary>
    public bool TryGet(string type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NodeExecutor? executor) =>
        _executors.TryGetValue(type, out executor);

    /// <summary>Every registered descriptor, ordered by category then type.</summary>
    public IReadOnlyList<NodeDescriptor> Descriptors =>
        [.. _executors.Values.Select(e => e.Descriptor)
            .OrderBy(d => IndexOfCategory(d.Category))
            .ThenBy(d => d.Type, StringComparer.Ordinal)];

    private static int IndexOfCategory(string category)
    {
        for (var i = 0; i < NodeCategories.All.Count; i++)
        {
            if (NodeCategories.All[i] == category) return i;
        }
        return NodeCategories.All.Count;
    }
}
