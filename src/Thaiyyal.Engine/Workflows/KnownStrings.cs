using System.Text;
using System.Text.Json;
using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Engine.Workflows;

/// <summary>
/// Returns shared string instances for the short names payloads repeat (node types, data keys), so reading
/// a payload does not allocate the same few strings again for every node.
/// </summary>
internal static class KnownStrings
{
    // The built-in node types, their field names and inference keys come from the descriptors; the rest are the
    // payload's own keys and common values.
    private static readonly string[] Names =
    [
        .. BuiltInNodes.Create().Select(e => e.Descriptor).SelectMany(d =>
            d.Fields.Select(f => f.Name).Concat(d.Inference?.Keys ?? []).Concat(d.Inference?.AlsoRequired ?? []).Append(d.Type)),
        "label", "name", "type", "id", "true", "false", "default", "item", "index", "add", "subtract", "multiply", "divide",
    ];

    // Bucketed by UTF-8 length so a look-up compares against a few candidates at most.
    private static readonly (byte[] Utf8, string Text, string[] Alone)[][] ByLength = Build();

    private static (byte[], string, string[])[][] Build()
    {
        var max = Names.Max(n => n.Length);
        var buckets = new List<(byte[], string, string[])>[max + 1];
        for (var i = 0; i <= max; i++) buckets[i] = [];
        foreach (var name in Names.Distinct()) buckets[name.Length].Add((Encoding.UTF8.GetBytes(name), name, [name]));
        return [.. buckets.Select(b => b.ToArray())];
    }

    /// <summary>The reader's current string or property name, shared when it is a known name.</summary>
    public static string Intern(ref Utf8JsonReader reader) => Intern(ref reader, out _);

    /// <summary>
    /// <see cref="Intern(ref Utf8JsonReader)"/>; for a known name also a shared one-element array holding it: the keys of
    /// an object with that one key (most node data has one field), which no object changes.
    /// </summary>
    public static string Intern(ref Utf8JsonReader reader, out string[]? alone)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            var span = reader.ValueSpan;
            if (span.Length < ByLength.Length)
            {
                foreach (var (utf8, text, keys) in ByLength[span.Length])
                {
                    if (!span.SequenceEqual(utf8)) continue;
                    alone = keys;
                    return text;
                }
            }
        }
        alone = null;
        return reader.GetString()!;
    }
}
