using System.Globalization;
using System.Xml;

namespace Thaiyyal.Testing;

/// <summary>
/// The suite as JUnit XML (one <c>testsuite</c> per test file, one <c>testcase</c> per case), the format GitHub
/// Actions reporters, GitLab and Jenkins read. An invalid file is a suite with one errored test case.
/// </summary>
public static class JUnitReport
{
    public static void Write(SuiteResult suite, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(suite);
        using var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Async = false });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "thaiyyal test");
        xml.WriteAttributeString("tests", Count(suite.Cases.Count() + suite.InvalidFiles));
        xml.WriteAttributeString("failures", Count(suite.Failed));
        xml.WriteAttributeString("errors", Count(suite.InvalidFiles));
        xml.WriteAttributeString("time", Seconds(suite.Cases.Sum(c => c.Duration.TotalSeconds)));
        foreach (var file in suite.Files)
        {
            var name = Path.GetFileName(file.Path);
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", name);
            xml.WriteAttributeString("tests", Count(file.Invalid is null ? file.Cases.Count : 1));
            xml.WriteAttributeString("failures", Count(file.Cases.Count(c => !c.Passed)));
            xml.WriteAttributeString("errors", Count(file.Invalid is null ? 0 : 1));
            xml.WriteAttributeString("skipped", "0");
            xml.WriteAttributeString("time", Seconds(file.Cases.Sum(c => c.Duration.TotalSeconds)));
            if (file.Invalid is { } invalid)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("name", "(test file)");
                xml.WriteAttributeString("classname", name);
                xml.WriteAttributeString("time", "0");
                xml.WriteStartElement("error");
                xml.WriteAttributeString("message", invalid.Message);
                xml.WriteAttributeString("type", "invalid test file");
                xml.WriteString(invalid.Message);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            foreach (var result in file.Cases)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("name", result.Case.Name);
                xml.WriteAttributeString("classname", name);
                xml.WriteAttributeString("file", file.Path);
                xml.WriteAttributeString("time", Seconds(result.Duration.TotalSeconds));
                if (!result.Passed)
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", $"{result.Failures[0].Check}: {result.Failures[0].Message}");
                    xml.WriteAttributeString("type", "assertion");
                    xml.WriteString(result.Describe());
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double s) => s.ToString("0.000", CultureInfo.InvariantCulture);
}
