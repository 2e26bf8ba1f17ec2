using System.Xml;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Workflows;

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
            throw Invalid(rootName is null ? SyntaxError(ex) : AfterRootError);
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

    private static string SyntaxError(XmlException ex)
    {
        var message = ex.Message.StartsWith("Unexpected end of file", StringComparison.Ordinal) ? "unexpected EOF" : StripPosition(ex.Message);
        return $"XML syntax error on line {Math.Max(ex.LineNumber, 1)}: {message}";
    }

    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" Line ", StringComparison.Ordinal);
        return (at >= 0 ? message[..at] : message).TrimEnd('.', ' ');
    }

    private static NodeExecutionException Invalid(string reason) => new($"invalid XML: {reason}");
}
