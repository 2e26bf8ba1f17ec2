using System.Xml;

namespace Thaiyyal.Engine.Nodes.Operations.Parsing;

/// <summary>
/// The parse node's simplified XML reading: <c>{ rootLocalName: typed(root's own text) }</c>; child
/// elements are checked for well-formedness but otherwise ignored, text after the root is ignored.
/// No DTD is processed and no external entity is resolved.
/// </summary>
internal static class XmlTextParser
{
    // The original reported the error of a first decoding attempt into a map, which always fails
    // with this text once it has reached the root element.
    private const string AfterRootError = "unknown type map[string]interface {}";

    public static Value Parse(string text)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            ConformanceLevel = ConformanceLevel.Fragment,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        string? rootName = null;
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                rootName = reader.LocalName;
                return ValueObject.Of((rootName, TextCell.Typed(ReadOwnText(reader))));
            }
        }
        catch (XmlException ex)
        {
            throw Invalid(rootName is null ? SyntaxError(text, ex) : AfterRootError);
        }
        throw Invalid("EOF");
    }

    /// <summary>Concatenates the text directly inside the current element and moves past its end.</summary>
    private static string ReadOwnText(XmlReader reader)
    {
        if (reader.IsEmptyElement) return "";
        var depth = reader.Depth;
        var text = new System.Text.StringBuilder();
        while (reader.Read())
        {
            if (reader.Depth == depth + 1 && reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
                text.Append(reader.Value);
            else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
                return text.ToString();
        }
        throw new XmlException("unexpected EOF");
    }

    // Go names an unfinished tag "unexpected EOF" on the last line; the .NET reader sometimes calls it
    // invalid root data, so text with no closing '>' after the error is treated as unfinished.
    private static string SyntaxError(string text, XmlException ex)
    {
        var offset = Offset(text, ex.LineNumber, ex.LinePosition);
        var atEnd = ex.Message.StartsWith("Unexpected end of file", StringComparison.Ordinal)
            || text.IndexOf('>', Math.Min(offset, text.Length)) < 0;
        return atEnd
            ? $"XML syntax error on line {text.Count(c => c == '\n') + 1}: unexpected EOF"
            : $"XML syntax error on line {Math.Max(ex.LineNumber, 1)}: {StripPosition(ex.Message)}";
    }

    /// <summary>The character offset of a 1-based line and position.</summary>
    private static int Offset(string text, int line, int position)
    {
        var offset = 0;
        for (var l = 1; l < line && offset < text.Length; l++)
        {
            var next = text.IndexOf('\n', offset);
            if (next < 0) return text.Length;
            offset = next + 1;
        }
        return Math.Clamp(offset + Math.Max(position - 1, 0), 0, text.Length);
    }

    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" Line ", StringComparison.Ordinal);
        return (at >= 0 ? message[..at] : message).TrimEnd('.', ' ');
    }

    private static NodeExecutionException Invalid(string reason) => new($"invalid XML: {reason}");
}
