using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Thaiyyal.Engine.Tests.Conformance;

namespace Thaiyyal.Server.Tests.TestHost;

/// <summary>
/// The built server (<c>src/Thaiyyal.Server/bin/&lt;configuration&gt;/net10.0/thaiyyal-server.dll</c>) as a child
/// process, for what only a real process shows: stdout log lines, exit codes, signals.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _stdout.Enqueue(e.Data);
            if (e.Data.Contains("\"msg\":\"starting server\"", StringComparison.Ordinal)
                && JsonNode.Parse(e.Data)?["url"]?.GetValue<string>() is { } url)
            {
                _listening.TrySetResult(new Uri(url.Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) _stderr.Enqueue(e.Data);
        };
    }

    /// <summary>The server binary built next to these tests (same configuration).</summary>
    public static string ServerDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Path.Combine(ConformanceCases.RepositoryRoot(), "src", "Thaiyyal.Server", "bin", configuration, "net10.0", "thaiyyal-server.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build the server first (dotnet build Thaiyyal.slnx)", path);
        }
    }

    private string? _temporaryDataDirectory;

    public int Id => _process.Id;

    public IReadOnlyList<string> Stdout => [.. _stdout];

    public string Stderr => string.Join("\n", _stderr);

    /// <summary>Starts the server with <paramref name="args"/>; the environment is the test's minus anything starting with the server's variable names.</summary>
    public static ServerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Through env(1), SIGINT and SIGQUIT start with their default action, as in a terminal: a test run started as
        // a background job of a non-interactive shell has them ignored, the server would inherit that, and .NET keeps
        // an ignored SIGINT ignored, so Ctrl+C (SIGINT) tests would depend on how the test run was started.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--default-signal=INT,QUIT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(ServerDll);
        var argList = args.ToList();
        // Each process gets its own empty SQLite store unless the test names one.
        string? temporary = null;
        if (!argList.Contains("-data-dir") && !argList.Contains("-database-url"))
            argList.AddRange(["-data-dir", temporary = RunningServer.TemporaryDataDirectory()]);
        foreach (var a in argList) info.ArgumentList.Add(a);
        foreach (var name in Thaiyyal.Server.Configuration.SettingDefinitions.All.Select(d => d.EnvironmentVariable).OfType<string>()) info.Environment.Remove(name);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process) { _temporaryDataDirectory = temporary };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The public URL, from the <c>starting server</c> record.</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan? timeout = null)
    {
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(_listening.Task, exited, Task.Delay(timeout ?? TimeSpan.FromSeconds(30)));
        if (done == _listening.Task) return await _listening.Task;
        throw new InvalidOperationException($"server did not start; stdout:\n{string.Join("\n", Stdout)}\nstderr:\n{Stderr}");
    }

    /// <summary>Exit code, or throws when the process outlives <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Say what the process had written, so a slow shutdown can be told from a stuck one, and how it stands
            // with signals (pending, blocked, ignored, caught), so a signal that never arrived can be told from one
            // that was not acted on.
            throw new TimeoutException($"server still running after {timeout}; signals: {SignalState()}; stdout:\n{string.Join("\n", Stdout)}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // flushes the redirected streams
        return _process.ExitCode;
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        var error = kill.StandardError.ReadToEnd();
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {_process.Id} exited with {kill.ExitCode}: {error}");
    }

    /// <summary>The signal lines of <c>/proc/PID/status</c> (masks in hex), or why they could not be read.</summary>
    private string SignalState()
    {
        try
        {
            return string.Join(", ", File.ReadAllLines($"/proc/{_process.Id}/status")
                .Where(l => l.StartsWith("Sig", StringComparison.Ordinal) || l.StartsWith("ShdPnd", StringComparison.Ordinal) || l.StartsWith("Threads", StringComparison.Ordinal))
                .Select(l => l.Replace('\t', ' ')));
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Stdout lines that are JSON log records.</summary>
    public IReadOnlyList<JsonObject> LogRecords() =>
        [.. Stdout.Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject())];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_temporaryDataDirectory is not null && Directory.Exists(_temporaryDataDirectory)) Directory.Delete(_temporaryDataDirectory, recursive: true);
    }
}
