using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Engine.Tests;

/// <summary>The built-in node types are implementation: an embedder uses them through the registry, never by class.</summary>
public sealed class NodeVisibilityTests
{
    [Fact]
    public void No_node_class_is_public()
    {
        var exposed = typeof(NodeExecutor).Assembly.GetTypes()
            .Where(t => t.IsVisible && typeof(NodeExecutor).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(exposed);
    }

    [Fact]
    public void The_built_in_node_types_are_still_registered()
    {
        Assert.True(NodeRegistry.CreateDefault().Descriptors.Count >= 52);
    }
}
