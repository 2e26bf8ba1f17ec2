using System.Globalization;
using Thaiyyal.Fuzz;

// thaiyyal-fuzz [--count N] [--seconds S] [--seed X] [--corpus DIR] [--crashers DIR]
// Exit code 0 when nothing unexpected escaped, 1 otherwise (each finding is written to the crashers folder).
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
long Get(string name, long fallback) => options.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

var count = Get("count", 100_000);
var seconds = Get("seconds", 600);
var seed = (int)Get("seed", 1);
var corpusDir = options.GetValueOrDefault("corpus", Path.Combine(AppContext.BaseDirectory, "corpus"));
var crashers = options.GetValueOrDefault("crashers", "fuzz-crashers");

var corpus = Directory.GetFiles(corpusDir, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
if (corpus.Count == 0)
{
    Console.Error.WriteLine($"no corpus files in {corpusDir}");
    return 2;
}
var report = new FuzzRunner(corpus).Run(seed, count, TimeSpan.FromSeconds(seconds), 100_000, Console.Out);
for (var i = 0; i < report.Unexpected.Count; i++)
{
    Directory.CreateDirectory(crashers);
    var (input, problem) = report.Unexpected[i];
    File.WriteAllText(Path.Combine(crashers, $"crash-{seed}-{i}.txt"), problem + "\n" + input);
}
Console.WriteLine($"inputs={report.Inputs} rejected={report.Rejected} runs={report.Runs} unexpected={report.Unexpected.Count} seconds={report.Duration.TotalSeconds:F1} seed={seed}");
return report.Unexpected.Count == 0 ? 0 : 1;
