using System.Text;

namespace Thaiyyal.Testing.Tests;

/// <summary>
/// The example test files (YAML and JSON), mutated: YAML syntax inserted, text cut, characters changed, pieces
/// repeated. Whatever comes out, the reader answers with an invalid-file error or a decoded file — never another
/// exception (YamlDotNet's ArgumentExceptions and an out-of-range number once escaped it).
/// </summary>
public sealed class ReaderFuzzTests
{
    private static readonly string[] Insertions =
    [
        "{", "}", "[", "]", ":", "- ", "\n", "  ", "&a ", "*a", "*b", "!!binary ", "!!int ", "!<> ", "!<%> ", "<<: ", "? ", "|", ">",
        "'", "\"", "#", "%YAML 1.1\n", "---\n", "...\n", "1e999", "~", "null", "0x", "\t", "\\u0000", "!tag ", "%TAG ! %\n",
    ];

    [Fact]
    public void Twenty_thousand_mutated_test_files_are_read_or_refused_by_name()
    {
        var examples = Path.Combine(AppContext.BaseDirectory, "../../../../../examples");
        var seeds = Directory.GetFiles(examples).Where(TestFileReader.IsTestFile).Order(StringComparer.Ordinal)
            .Select(p => (Path: p, Text: File.ReadAllText(p))).ToArray();
        Assert.True(seeds.Length >= 3, "the example test files are the seeds");
        var random = new Random(20_261_205);
        var (read, refused) = (0, 0);
        var escaped = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var (path, text) = seeds[random.Next(seeds.Length)];
            var mutated = new StringBuilder(text);
            for (var edit = 0; edit < 1 + random.Next(4) && mutated.Length > 0; edit++)
            {
                var at = random.Next(mutated.Length);
                switch (random.Next(4))
                {
                    case 0: mutated.Insert(at, Insertions[random.Next(Insertions.Length)]); break;
                    case 1: mutated.Remove(at, Math.Min(mutated.Length - at, 1 + random.Next(8))); break;
                    case 2: mutated[at] = (char)random.Next(9, 127); break;
                    default: mutated.Insert(at, text.AsSpan(random.Next(text.Length / 2), Math.Min(20, text.Length / 2))); break;
                }
            }
            try
            {
                TestFileReader.Parse(path, mutated.ToString(), TestFileReader.FormatOf(path));
                read++;
            }
            catch (TestFileException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                if (escaped.Count < 3) escaped.Add($"{ex.GetType().Name}: {ex.Message}\n{mutated}");
            }
        }
        Assert.True(escaped.Count == 0, string.Join("\n---\n", escaped));
        Assert.True(read > 1_000 && refused > 1_000, $"read {read}, refused {refused}");
    }
}
