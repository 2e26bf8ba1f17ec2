// The engine behind Kestrel with nothing else: the execute route reads the body, decodes and runs the workflow and
// writes the same answer the server would, without middleware, logging, metrics, tracing, limits per client or run
// history. scripts/load.sh measures it between the bare endpoint (the machine's ceiling) and the server, so the
// ratio line says how much of the gap is the route's own work and how much is the server around it.
// Usage: EngineEndpoint --urls http://127.0.0.1:PORT
using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var engine = new WorkflowEngine(new EngineOptions());
app.MapPost("/api/v1/workflow/execute", async (HttpContext context) =>
{
    var started = Stopwatch.GetTimestamp();
    var body = context.Request.BodyReader;
    var read = await body.ReadAsync();
    while (!read.IsCompleted)
    {
        body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        read = await body.ReadAsync();
    }
    Workflow workflow;
    try
    {
        workflow = engine.Parse(read.Buffer.IsSingleSegment ? read.Buffer.FirstSpan : read.Buffer.ToArray());
    }
    finally
    {
        body.AdvanceTo(read.Buffer.End);
    }
    var result = await engine.ExecuteAsync(workflow, cancellationToken: context.RequestAborted);
    context.Response.ContentType = "application/json";
    await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
    ExecutionResponseWriter.Write(writer, result, Stopwatch.GetElapsedTime(started));
});
app.MapGet("/health/ready", () => "ok");
app.Run();
