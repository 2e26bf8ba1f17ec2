using System.CommandLine;
using System.Text.Json;
using Thaiyyal.Cli;
using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Workflows;

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

var root = new RootCommand("thaiyyal: run and validate Thaiyyal workflows. Limits apply per run; 0 disables a limit.")
{
    run,
    validate,
};
return await root.Parse(args).InvokeAsync();
