using Thaiyyal.Engine.Nodes.ArrayOperations;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Thaiyyal.Engine.Nodes.Operations.Parsing;

/// <summary>
/// The parse node's YAML reading. A document whose root is a mapping or a sequence is read with YamlDotNet
/// (nesting, lists, quotes and anchors understood; plain scalars typed like CSV cells). Text that is not
/// such a document falls back to the original's line reading (<c>key: value</c> per line), so AUTO-detected
/// text keeps the original's result.
/// </summary>
internal static class YamlTextParser
{
    /// <summary>Values a document may expand to, aliases included (guards against alias bombs).</summary>
    private const long MaxValues = 1_000_000;

    public static Value Parse(string text, ExecutionLimits limits)
    {
        Value document;
        try
        {
            document = ReadDocument(text, limits);
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // YamlDotNet reports some malformed flow collections ("a: [1, ") with InvalidOperationException
            // rather than YamlException (found by fuzzing); both mean "not YAML", so the line reading applies.
            return ParseLines(text);
        }
        if (document.TryGetObject(out var obj) && obj.Count == 0) throw NoPairs();
        return document.IsObject || document.IsArray ? document : ParseLines(text);
    }

    /// <summary>The original's reading: each non-comment line split at its first colon.</summary>
    public static Value ParseLines(string text)
    {
        var pairs = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            pairs[line[..colon].Trim()] = TextCell.Typed(line[(colon + 1)..]);
        }
        return pairs.Count == 0 ? throw NoPairs() : new ValueObject(pairs);
    }

    /// <summary>The first document as a value; <see cref="Value.Null"/> for an empty stream.</summary>
    private static Value ReadDocument(string text, ExecutionLimits limits)
    {
        var parser = new Parser(new StringReader(text));
        var maxDepth = TextCell.MaxDepth(limits.MaxJsonDepth);
        var stack = new Stack<Container>();
        var anchors = new Dictionary<string, (Value Value, long Size)>(StringComparer.Ordinal);
        long total = 0;
        while (parser.MoveNext())
        {
            Value done;
            long size;
            switch (parser.Current)
            {
                case Scalar scalar when stack.TryPeek(out var top) && top.ExpectsKey:
                    top.Key = scalar.Value;
                    continue;
                case Scalar scalar:
                    done = scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty ? TextCell.Typed(scalar.Value) : Value.From(scalar.Value);
                    size = 1;
                    Remember(anchors, scalar.Anchor, done, size);
                    break;
                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out var target)) throw new YamlException($"unknown alias {alias.Value}");
                    (done, size) = target;
                    break;
                case MappingStart start:
                    stack.Push(new Container(isMapping: true, start.Anchor));
                    CheckDepth(stack.Count, maxDepth);
                    continue;
                case SequenceStart start:
                    stack.Push(new Container(isMapping: false, start.Anchor));
                    CheckDepth(stack.Count, maxDepth);
                    continue;
                case MappingEnd or SequenceEnd:
                    var finished = stack.Pop();
                    (done, size) = finished.Build();
                    Remember(anchors, finished.Anchor, done, size);
                    break;
                case DocumentEnd:
                    return Value.Null;
                default:
                    continue;
            }
            total += size;
            if (total > MaxValues)
                throw new ExecutionLimitException("yaml_size", $"YAML document too large: more than {MaxValues} values");
            if (!stack.TryPeek(out var parent)) return done;
            parent.Add(done, size, limits);
        }
        return Value.Null;
    }

    private static void Remember(Dictionary<string, (Value, long)> anchors, AnchorName anchor, Value value, long size)
    {
        if (!anchor.IsEmpty) anchors[anchor.Value] = (value, size);
    }

    private static void CheckDepth(int depth, int maxDepth)
    {
        if (depth > maxDepth) throw new ExecutionLimitException("depth", $"YAML nested too deeply: more than {maxDepth} levels");
    }

    private static NodeExecutionException NoPairs() => new("no valid YAML key-value pairs found");

    /// <summary>A mapping or sequence being read.</summary>
    private sealed class Container(bool isMapping, AnchorName anchor)
    {
        private readonly Dictionary<string, Value>? _entries = isMapping ? new(StringComparer.Ordinal) : null;
        private readonly List<Value>? _items = isMapping ? null : [];
        private long _size = 1;

        public AnchorName Anchor { get; } = anchor;

        /// <summary>The pending key of a mapping; null while a key is expected.</summary>
        public string? Key { get; set; }

        public bool ExpectsKey => _entries is not null && Key is null;

        public void Add(Value value, long size, ExecutionLimits limits)
        {
            _size += size;
            if (_items is not null)
            {
                _items.Add(value);
                ArrayResults.CheckLength(_items.Count, limits, "parse");
            }
            else if (Key is null)
            {
                // A complex (non-scalar) key: use its generic text.
                Key = Compatibility.GoValueText.ToGoString(value);
            }
            else
            {
                _entries![Key] = value;
                Key = null;
            }
        }

        public (Value, long) Build() =>
            (_items is not null ? new ValueArray([.. _items]) : new ValueObject(_entries!), _size);
    }
}
