using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Engine.Workflows;

/// <summary>
/// Infers a node's type from its data keys when <c>type</c> is missing (workflow-format.md §2.1), from the
/// <see cref="NodeDescriptor.Inference"/> rules of the registered node types: each rule lives on its node type.
/// </summary>
internal sealed class TypeInference
{
    private readonly (InferenceRule Rule, string Type)[] _rules;

    public TypeInference(IEnumerable<NodeDescriptor> descriptors)
    {
        _rules = [.. descriptors
            .Where(d => d.Inference is not null)
            .Select(d => (d.Inference!, d.Type))
            .OrderBy(r => r.Item1.Rank)
            .ThenBy(r => r.Type, StringComparer.Ordinal)];
    }

    /// <summary>The inferred type, or <c>""</c> when no rule matches.</summary>
    public string Infer(ValueObject data)
    {
        foreach (var (rule, type) in _rules)
        {
            if (rule.Matches(data)) return type;
        }
        return "";
    }
}
