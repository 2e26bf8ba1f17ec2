using System.Globalization;
using System.Text;
using Thaiyyal.Engine.Nodes;

namespace Thaiyyal.Fuzz;

/// <summary>
/// Builds the three kinds of fuzz input from a seed: mutated payload bytes (from the corpus), expressions from a
/// small grammar, and workflows giving one node type random options and inputs. Deterministic for a seed.
/// </summary>
public sealed class PayloadGenerator(IReadOnlyList<string> corpus, IReadOnlyList<NodeDescriptor> descriptors)
{
    // Texts that have broken JSON readers, number parsers and duration parsers elsewhere.
    private static readonly string[] Tokens =
    [
        "1e999", "-1e400", "1" + new string('0', 400), "-0", "0.1e-400", "NaN", "Infinity", "\"\\ud800\"", "\"\\u0000\"",
        "[[[[[[[[", "]]]]", "{\"a\":", "null", "true", "\"\"", "{}", "[]", "\"-5s\"", "\"9999999h\"", "\"1e9\"", "-1",
        "2147483648", "9223372036854775808", "\"${a}\"", "\"{{{.x}}}\"", "\"\\\\\"", "\"é\"", "\"^(a+)+$\"",
    ];

    private static readonly string[] Operators = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "??", "in"];
    private static readonly string[] Functions = ["len", "abs", "min", "max", "round", "floor", "ceil", "sum", "avg", "upper", "lower", "keys", "values", "contains", "range", "flatten", "now", "string", "number"];
    private static readonly string[] Methods = ["split", "join", "toUpperCase", "trim", "replace", "includes", "reverse", "first", "last", "startsWith"];

    public string Mutate(Random random)
    {
        var text = corpus[random.Next(corpus.Count)];
        var builder = new StringBuilder(text);
        var edits = 1 + random.Next(4);
        for (var i = 0; i < edits && builder.Length > 0; i++)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(5))
            {
                case 0: builder.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                case 1: builder.Remove(at, Math.Min(builder.Length - at, 1 + random.Next(8))); break;
                case 2: builder[at] = (char)random.Next(32, 127); break;
                case 3: builder.Insert(at, text.AsSpan(random.Next(text.Length / 2), Math.Min(32, text.Length / 2))); break;
                default: builder.Length = at; break;
            }
        }
        return builder.ToString();
    }

    public string Expression(Random random, int depth = 0)
    {
        if (depth > 4 || random.Next(3) == 0) return Atom(random);
        return random.Next(7) switch
        {
            0 => $"{Expression(random, depth + 1)} {Operators[random.Next(Operators.Length)]} {Expression(random, depth + 1)}",
            1 => $"({Expression(random, depth + 1)})",
            2 => $"{Functions[random.Next(Functions.Length)]}({Arguments(random, depth)})",
            3 => $"{Expression(random, depth + 1)}.{Methods[random.Next(Methods.Length)]}({Arguments(random, depth)})",
            4 => $"{Expression(random, depth + 1)} ? {Expression(random, depth + 1)} : {Expression(random, depth + 1)}",
            5 => $"[{Arguments(random, depth)}]",
            _ => $"{Atom(random)}[{Expression(random, depth + 1)}]",
        };
    }

    private string Arguments(Random random, int depth)
    {
        var count = random.Next(4);
        return string.Join(", ", Enumerable.Range(0, count).Select(_ => Expression(random, depth + 1)));
    }

    private static string Atom(Random random) => random.Next(10) switch
    {
        0 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        1 => (random.NextDouble() * 1e6).ToString("R", CultureInfo.InvariantCulture),
        2 => "'" + Word(random) + "'",
        3 => "item",
        4 => "input",
        5 => "variables." + Word(random),
        6 => random.Next(2) == 0 ? "true" : "null",
        7 => "index",
        8 => "acc",
        _ => Tokens[random.Next(Tokens.Length)].Trim('"'),
    };

    private static string Word(Random random)
    {
        const string letters = "abcxyz_é$0";
        var length = 1 + random.Next(6);
        return string.Create(length, random, static (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = letters[r.Next(letters.Length)]; });
    }

    /// <summary>A workflow of one node of a random registered type with random options, fed by up to three inputs.</summary>
    public string NodeWorkflow(Random random)
    {
        var descriptor = descriptors[random.Next(descriptors.Count)];
        var data = new StringBuilder("{");
        foreach (var field in descriptor.Fields)
        {
            if (random.Next(4) == 0) continue;
            if (data.Length > 1) data.Append(',');
            data.Append('"').Append(field.Name).Append("\":").Append(FieldValue(random, field));
        }
        data.Append('}');
        var nodes = new List<string>();
        var edges = new List<string>();
        var inputs = random.Next(4);
        for (var i = 0; i < inputs; i++)
        {
            nodes.Add($$$"""{"id":"in{{{i}}}","type":"text_input","data":{"text":{{{Quote(JsonValue(random, 0))}}}}}""");
            nodes.Add($$$"""{"id":"p{{{i}}}","type":"parse","data":{"input_type":"JSON"}}""");
            edges.Add($$$"""{"source":"in{{{i}}}","target":"p{{{i}}}"}""");
            edges.Add($$$"""{"source":"p{{{i}}}","target":"n"}""");
        }
        nodes.Add($$$"""{"id":"n","type":"{{{descriptor.Type}}}","data":{{{data}}}}""");
        if (random.Next(3) == 0)
        {
            // A body node makes scope types (loops, try/catch, retry) run something.
            nodes.Add($$$"""{"id":"b","type":"expression","parentId":"n","data":{"expression":{{{Quote(Expression(random))}}}}}""");
        }
        if (random.Next(4) == 0)
        {
            // Nesting: scope nodes inside each other, the node above, nobody, or a parent that does not exist, in any
            // order (a chain whose unknown parent lay above a known one once crashed the compiler).
            var scopes = descriptors.Where(d => d.IsScope).ToArray();
            string[] parents = ["n", "s0", "s1", "s2", "ghost", "", "b"];
            for (var i = 0; i < 1 + random.Next(3); i++)
            {
                var scope = scopes[random.Next(scopes.Length)];
                nodes.Add($$$"""{"id":"s{{{i}}}","type":"{{{scope.Type}}}","parentId":"{{{parents[random.Next(parents.Length)]}}}","data":{}}""");
            }
        }
        if (random.Next(4) == 0)
        {
            // Wires between any of the ids above (and one that does not exist): across scope boundaries, into a node's own
            // box, back to itself, with handles that may not exist.
            string[] ids = ["n", "b", "s0", "s1", "s2", "in0", "p0", "ghost"];
            string[] handles = ["", "true", "false", "error", "x"];
            for (var i = 0; i < 1 + random.Next(3); i++)
            {
                var handle = handles[random.Next(handles.Length)];
                edges.Add($$$"""{"source":"{{{ids[random.Next(ids.Length)]}}}","target":"{{{ids[random.Next(ids.Length)]}}}"{{{(handle.Length > 0 ? $",\"sourceHandle\":\"{handle}\"" : "")}}}}""");
            }
        }
        return $$$"""{"nodes":[{{{string.Join(",", nodes)}}}],"edges":[{{{string.Join(",", edges)}}}]}""";
    }

    /// <summary>
    /// A named HTTP client's registration body (server-api.md §4.1): each field a plausible value or, often, any JSON
    /// value, in random combinations.
    /// </summary>
    public string HttpClientRegistration(Random random, string uid)
    {
        // The first value of each list is valid and comes half the time, so some whole configurations register.
        string Pick(params string[] plausible) => random.Next(10) switch
        {
            0 => JsonValue(random, 0),
            < 6 => plausible[0],
            _ => plausible[random.Next(plausible.Length)],
        };
        var fields = new List<string>
        {
            $"\"uid\":{Pick(Quote(uid), Quote(uid), "\"\"", Quote(uid + "/../x"), Quote(uid)[..^1] + "\\u0000\"")}",
            $"\"base_url\":{Pick("\"https://api.example.com\"", "\"http://127.0.0.1:1\"", "\"ftp://x\"", "\"https://user:pw@[::1]:99999/\"", "\"\"")}",
            $"\"auth\":{{\"type\":{Pick("\"bearer\"", "\"basic\"", "\"api_key\"", "\"oauth2\"", "\"none\"")},\"token\":{Pick("{\"token\":\"s\"}", "\"s\"", "null")},\"username\":{Pick("\"u\"", "1")},\"password\":{Pick("\"p\"", "[]")},\"key\":{Pick("\"X-Key\"", "\"\"")},\"value\":{Pick("\"v\"", "{}")}}}",
            $"\"network\":{{\"timeout\":{Pick("30000000000", "\"30s\"", "-1", "1e400", "\"-5s\"", "\"9999999h\"")},\"timeout_ms\":{Pick("100", "-1", "1e308")},\"max_idle_conns\":{Pick("10", "-3", "2147483648")}}}",
            $"\"security\":{{\"allowed_domains\":{Pick("[\"api.example.com\"]", "[\"*\"]", "[\"\"]", "\"x\"")},\"follow_redirects\":{Pick("true", "false", "\"yes\"")},\"max_redirects\":{Pick("5", "-1", "100000", "1.5")}}}",
            $"\"headers\":{Pick("[{\"key\":\"Accept\",\"value\":\"application/json\"}]", "[{\"key\":\"\",\"value\":\"\\r\\nX: y\"}]", "[{\"key\":\"Host\",\"value\":\"evil\"}]", "{}")}",
            $"\"query_params\":{Pick("[{\"key\":\"per_page\",\"value\":\"100\"}]", "[{}]", "[null]")}",
        };
        // The uid and the base URL stay (a configuration without them fails the same way every time); others may go.
        var kept = fields.Where((_, i) => i < 2 || random.Next(4) != 0);
        return "{\"config\":{" + string.Join(",", kept) + "}}";
    }

    /// <summary>
    /// A workflow test file as JSON (docs/testing-workflows.md) around <paramref name="workflow"/> (a payload object, or
    /// any text): cases whose <c>set</c>, <c>pin</c>, <c>pin_iterations</c>, <c>expect</c>, <c>assert</c>, <c>now</c> and
    /// <c>seed</c> are plausible or any JSON value.
    /// </summary>
    public string TestFile(Random random, string workflow)
    {
        string[] nodes = ["n", "b", "in0", "p0", "s0", "ghost"];
        // Mostly any JSON value; now and then a number no double holds.
        string Any() => random.Next(20) == 0 ? "1e999" : JsonValue(random, 0);
        string Node() => nodes[random.Next(nodes.Length)];
        var cases = new List<string>();
        for (var c = 0; c < 1 + random.Next(3); c++)
        {
            var parts = new List<string> { $"\"name\":{(random.Next(8) == 0 ? Any() : Quote("case " + c))}" };
            if (random.Next(2) == 0) parts.Add($"\"set\":{(random.Next(4) == 0 ? Any() : $"{{\"{Node()}\":{{\"value\":{Any()}}}}}")}");
            if (random.Next(3) == 0) parts.Add($"\"pin\":{(random.Next(4) == 0 ? Any() : $"{{\"{Node()}\":{Any()}}}")}");
            if (random.Next(5) == 0) parts.Add($"\"pin_iterations\":{(random.Next(3) == 0 ? Any() : $"{{\"{Node()}\":[{Any()},{Any()}]}}")}");
            if (random.Next(4) != 0)
            {
                var expect = random.Next(4) == 0 ? Any() : random.Next(5) switch
                {
                    0 => $"{{\"final_output\":{Any()}}}",
                    1 => $"{{\"node.{Node()}\":{Any()},\"skipped\":[{Quote(Node())}]}}",
                    2 => $"{{\"error_contains\":{Quote(Word(random))},\"error\":{Any()}}}",
                    3 => $"{{\"node.{Node()}.{Word(random)}\":{Any()}}}",
                    _ => $"{{\"skipped\":{Any()}}}",
                };
                parts.Add($"\"expect\":{expect}");
            }
            if (random.Next(3) == 0) parts.Add($"\"assert\":{(random.Next(4) == 0 ? Any() : $"[{Quote(Expression(random))}]")}");
            if (random.Next(6) == 0) parts.Add($"\"now\":{(random.Next(2) == 0 ? Any() : "\"2025-02-30T25:00:00Z\"")}");
            if (random.Next(6) == 0) parts.Add($"\"seed\":{(random.Next(2) == 0 ? Any() : "-1")}");
            cases.Add("{" + string.Join(",", parts) + "}");
        }
        var cased = random.Next(10) == 0 ? Any() : "[" + string.Join(",", cases) + "]";
        return $"{{\"workflow\":{workflow},\"cases\":{cased}}}";
    }

    private string FieldValue(Random random, NodeField field)
    {
        if (random.Next(8) == 0) return JsonValue(random, 0);
        if (field.Options is { Count: > 0 } options && random.Next(4) != 0) return Quote(options[random.Next(options.Count)]);
        return field.Type switch
        {
            FieldType.Number => Number(random),
            FieldType.Integer => random.Next(-5, 50).ToString(CultureInfo.InvariantCulture),
            FieldType.Boolean => random.Next(2) == 0 ? "true" : "false",
            FieldType.Expression => Quote(Expression(random)),
            FieldType.Duration => Quote(random.Next(6) switch { 0 => "1ms", 1 => "0s", 2 => "-5s", 3 => "2h", 4 => "abc", _ => random.Next(0, 5) + "ms" }),
            FieldType.StringArray => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Quote(Word(random)))) + "]",
            _ => JsonValue(random, 0),
        };
    }

    private static string Number(Random random) => random.Next(6) switch
    {
        0 => "0",
        1 => "-1",
        2 => "1e308",
        3 => (random.NextDouble() * 100).ToString("R", CultureInfo.InvariantCulture),
        _ => random.Next(-100, 10_000).ToString(CultureInfo.InvariantCulture),
    };

    private string JsonValue(Random random, int depth)
    {
        if (depth > 3) return Number(random);
        return random.Next(7) switch
        {
            0 => Number(random),
            1 => Quote(random.Next(3) == 0 ? Expression(random) : Word(random)),
            2 => random.Next(2) == 0 ? "true" : "null",
            3 or 4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(6)).Select(_ => JsonValue(random, depth + 1))) + "]",
            _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Quote(Word(random)) + ":" + JsonValue(random, depth + 1))) + "}",
        };
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
