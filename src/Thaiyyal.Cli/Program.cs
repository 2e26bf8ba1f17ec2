using System.CommandLine;
using Thaiyyal.Cli;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Http;

// Before anything builds a Regex: the process default match timeout is read once (security.md, "Regular expressions").
RegexMatchTimeout.Install();

var limits = new LimitOptions();
var fileArgument = new Argument<string>("file") { Description = "Workflow payload (JSON file), or - for standard input." };

var run = new Command("run", "Run a workflow and print the execute API's JSON body. Exit 0: success; 1: the run failed; 2: invalid payload.")
{
    fileArgument,
};
foreach (var option in limits.All) run.Options.Add(option);
run.SetAction((result, token) => WorkflowCommands.RunAsync(result.GetValue(fileArgument)!, limits.Read(result), result.GetValue(limits.Parallelism), Console.Out, token));

var validateArgument = new Argument<string>("file") { Description = "Workflow payload (JSON file), or - for standard input." };
var validate = new Command("validate", "Decode and check a workflow without running it: JSON, data fields, ids, edges, node types, scopes and cycles. Exit 0: valid; 2: invalid.")
{
    validateArgument,
};
foreach (var option in limits.All) validate.Options.Add(option);
validate.SetAction((result, token) => WorkflowCommands.ValidateAsync(result.GetValue(validateArgument)!, limits.Read(result), Console.Out, token));

var testPaths = new Argument<string[]>("paths") { Description = "Test files, or directories searched for *.thaiyyal-test.json/.yaml/.yml (default: the current directory).", Arity = ArgumentArity.ZeroOrMore };
var filter = new Option<string?>("--filter") { Description = "Run only cases whose \"file › case\" name contains this text (case-insensitive)." };
var junit = new Option<string?>("--junit") { Description = "Also write the results as JUnit XML to this file (for CI test reports)." };
var update = new Option<bool>("--update") { Description = "Rewrite each case's expect block from the actual results (snapshot style); review the diff first." };
var allowNetwork = new Option<bool>("--allow-network") { Description = "Let http nodes that are not pinned make real requests (HTTP_* settings apply). Off: such a node fails its case." };
var parallelCases = new Option<int>("--parallel")
{
    Description = "Cases run at the same time.",
    DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount),
    Validators = { r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--parallel must be at least 1"); } },
};
var test = new Command("test", "Run workflow test files: one line per case and a summary. Exit 0: all passed; 1: a case failed; 2: a test file is invalid.")
{
    testPaths, filter, junit, update, allowNetwork, parallelCases,
};
foreach (var option in limits.All.Where(o => o != limits.Parallelism)) test.Options.Add(option);
test.SetAction(async (result, token) =>
{
    var options = new TestCommandOptions(result.GetValue(testPaths) ?? [], result.GetValue(filter), result.GetValue(junit), result.GetValue(update),
        result.GetValue(allowNetwork), result.GetValue(parallelCases), limits.Read(result));
    OutboundHttp? http = null;
    if (options.AllowNetwork)
    {
        try
        {
            http = new OutboundHttp(OutboundHttpSettings.Read(Environment.GetEnvironmentVariable));
        }
        catch (FormatException ex)
        {
            Console.Out.WriteLine($"error: invalid setting: {ex.Message}");
            return 2;
        }
    }
    using (http)
    {
        return await TestCommand.RunAsync(options, Console.Out, !Console.IsOutputRedirected, http, token);
    }
});

var root = new RootCommand("thaiyyal: run, validate and test Thaiyyal workflows. Limits apply per run; 0 disables a limit.")
{
    run,
    validate,
    test,
};
return await root.Parse(args).InvokeAsync();
