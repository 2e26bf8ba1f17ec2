using CsvHelper;
using Thaiyyal.Engine.Nodes.ArrayOperations;

namespace Thaiyyal.Engine.Nodes.Operations.Parsing;

/// <summary>
/// The parse node's CSV/TSV reading (RFC 4180 through CsvHelper): the first record is the header, every
/// later record an object of typed cells; all records must have as many fields as the first.
/// </summary>
internal static class CsvTableParser
{
    public static Value Parse(string text, char separator, ExecutionLimits limits)
    {
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = false,
            Mode = CsvMode.Rfc4180,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = true,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            // Recover hands every malformed record to the callback, which reports it the way the original did.
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record => throw new MalformedCsvException(record),
        };
        try
        {
            using var reader = CsvReader.FromText(text, options);
            string[]? headers = null;
            var rows = new List<Value>();
            while (reader.Read())
            {
                var count = reader.FieldCount;
                ArrayResults.CheckLength(count, limits, "parse");
                if (headers is null)
                {
                    headers = new string[count];
                    for (var i = 0; i < count; i++) headers[i] = reader.GetString(i);
                    continue;
                }
                var row = new Dictionary<string, Value>(count, StringComparer.Ordinal);
                for (var i = 0; i < count; i++) row[headers[i]] = TextCell.Typed(reader.GetString(i));
                rows.Add(new ValueObject(row));
                ArrayResults.CheckLength(rows.Count, limits, "parse");
            }
            return ValueArray.RecordList([.. rows]);
        }
        catch (MalformedCsvException ex)
        {
            throw Invalid(Describe(text, ex.Record));
        }
        catch (CsvFormatException ex)
        {
            throw Invalid($"record on line {ex.LineNumber}: wrong number of fields");
        }
    }

    private static string Describe(string text, CsvMalformedRecord record)
    {
        var problem = record.Reason == CsvMalformedReason.StrayQuote
            ? "bare \" in non-quoted-field"
            : "extraneous or missing \" in quoted-field";
        var (line, column) = Position(text, record.ByteOffset);
        return line == record.LineNumber
            ? $"parse error on line {line}, column {column}: {problem}"
            : $"record on line {record.LineNumber}; parse error on line {line}, column {column}: {problem}";
    }

    /// <summary>The 1-based line and byte column of a UTF-8 byte offset in <paramref name="text"/>.</summary>
    private static (long Line, long Column) Position(string text, long byteOffset)
    {
        long line = 1, lineStart = 0, offset = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (offset >= byteOffset) break;
            offset += rune.Utf8SequenceLength;
            if (rune.Value == '\n')
            {
                line++;
                lineStart = offset;
            }
        }
        return (line, byteOffset - lineStart + 1);
    }

    private static NodeExecutionException Invalid(string reason) => new($"invalid CSV/TSV: {reason}");

    private sealed class MalformedCsvException(CsvMalformedRecord record) : Exception(record.Reason.ToString())
    {
        public CsvMalformedRecord Record { get; } = record;
    }
}
