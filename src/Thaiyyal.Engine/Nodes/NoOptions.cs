namespace Thaiyyal.Engine.Nodes;

/// <summary>Options of a node type that has no data fields.</summary>
public sealed record NoOptions
{
    /// <summary>The one instance.</summary>
    public static NoOptions Instance { get; } = new();
}
