using System.Text;
using System.Text.Json;
using Thaiyyal.Engine;
using Thaiyyal.Engine.Execution;
using Thaiyyal.Engine.Http;
using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Cli;

/// <summary>The <c>run</c> and <c>validate</c> commands: thin shells over the engine.</summary>
internal static class WorkflowCommands
{
    public const int Success = 0;
    public const int RunFailed = 1;
    public const int InvalidPayload = 2;

    public static async Task<int> RunAsync(string file, ExecutionLimits limits, int parallelism, TextWriter output, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var payload = await ReadPayloadAsync(file, output, cancellationToken);
        if (payload is null) return InvalidPayload;
        OutboundHttp http;
        try
        {
            // The same HTTP_* settings as the server, so a workflow behaves alike in both.
            http = new OutboundHttp(OutboundHttpSettings.Read(Environment.GetEnvironmentVariable));
        }
        catch (FormatException ex)
        {
            Write(output, w => ExecutionResponseWriter.WriteRejected(w, new WorkflowException(WorkflowErrorKind.Decode, $"invalid setting: {ex.Message}")));
            return InvalidPayload;
        }
        using var disposeHttp = http as IDisposable;
        var engine = new WorkflowEngine(new EngineOptions { Limits = limits, MaxDegreeOfParallelism = parallelism, Http = http });
        Workflow workflow;
        try
        {
            workflow = engine.Parse(payload);
        }
        catch (WorkflowException ex)
        {
            Write(output, w => ExecutionResponseWriter.WriteRejected(w, ex));
            return InvalidPayload;
        }
        var result = await engine.ExecuteAsync(workflow, cancellationToken: cancellationToken);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        Write(output, w => ExecutionResponseWriter.Write(w, result, elapsed));
        return result.Success ? Success : RunFailed;
    }

    public static async Task<int> ValidateAsync(string file, ExecutionLimits limits, TextWriter output, CancellationToken cancellationToken)
    {
        var payload = await ReadPayloadAsync(file, output, cancellationToken);
        if (payload is null) return InvalidPayload;
        var engine = new WorkflowEngine(new EngineOptions { Limits = limits });
        try
        {
            engine.Parse(payload);
            Write(output, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("valid", true);
                w.WriteEndObject();
            });
            return Success;
        }
        catch (WorkflowException ex)
        {
            Write(output, w =>
            {
                w.WriteStartObject();
                w.WriteString("error", ex.Message);
                if (ex.NodeId is not null) w.WriteString("node_id", ex.NodeId);
                w.WriteBoolean("valid", false);
                w.WriteEndObject();
            });
            return InvalidPayload;
        }
    }

    private static async Task<byte[]?> ReadPayloadAsync(string file, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            if (file == "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                await stdin.CopyToAsync(buffer, cancellationToken);
                return buffer.ToArray();
            }
            return await File.ReadAllBytesAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var rejection = new WorkflowException(WorkflowErrorKind.Decode, $"cannot read {file}: {ex.Message}");
            Write(output, w => ExecutionResponseWriter.WriteRejected(w, rejection));
            return null;
        }
    }

    private static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, ValueJson.WriterOptions)) write(writer);
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
