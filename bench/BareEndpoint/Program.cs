// A bare ASP.NET Core endpoint: the same route as the server's execute route, answering a constant JSON body
// without reading the request. scripts/load.sh measures it next to the server as the machine's ceiling.
// Usage: BareEndpoint --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
byte[] body = """{"success":true,"node_results":{"1":10,"2":5,"3":15}}"""u8.ToArray();
app.MapPost("/api/v1/workflow/execute", (HttpContext context) =>
{
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
});
app.MapGet("/health/ready", () => "ok");
app.Run();
