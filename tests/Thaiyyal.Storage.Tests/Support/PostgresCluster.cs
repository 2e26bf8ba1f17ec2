using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Thaiyyal.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster from the installed Debian binaries (<c>/usr/lib/postgresql/*/bin</c>): initdb into a
/// temporary directory, started on a free loopback port, stopped and deleted on dispose. PostgreSQL refuses to run
/// as root, so under root every command runs as the <c>postgres</c> user the package creates. Missing binaries are
/// a failure with the reason, never a skip. Shared with the server tests (linked file).
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private string _root = "";
    private string _bin = "";
    private int _databases;

    public int Port { get; private set; }

    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Connection string of the cluster's <c>postgres</c> database (trust authentication on loopback).</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        _bin = FindBinaries("/usr/lib/postgresql");
        _root = Directory.CreateTempSubdirectory("thaiyyal-pg-").FullName;
        if (IsRoot) await RunAsync("chown", ["postgres:postgres", _root], asPostgres: false);
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        Port = FreeLoopbackPort();
        await StartAsync();
    }

    /// <summary>Starts the (stopped) cluster again on the same port.</summary>
    public Task StartAsync() =>
        RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"]);

    /// <summary>Stops the cluster at once (connections are cut), as a crash or an outage would.</summary>
    public Task StopAsync() => RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-w", "-m", "immediate", "stop"]);

    /// <summary>
    /// Stops every process of the cluster (SIGSTOP) until the result is disposed (SIGCONT): the server still accepts
    /// connections at the socket but never answers, as a hung or overloaded database would.
    /// </summary>
    public async Task<IAsyncDisposable> FreezeAsync()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        var postmasterPid = postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The postmaster first, so that it forks no backend between the listing of its children and their stop (a
        // connection opened meanwhile by another test's pool would otherwise be served by a backend left running).
        // Root may signal the postgres user's processes; anyone else runs the cluster as themselves.
        await RunAsync("kill", ["-STOP", postmasterPid], asPostgres: false);
        // A stop signal takes effect when the process next runs: a fork it was in the middle of can still bring a child
        // after the first listing. Wait until it is stopped, then list and stop its children until none runs.
        await UntilAsync(() => StateOf(postmasterPid) is 'T' or 't' or null);
        var stopped = new HashSet<string>();
        for (var listing = 0; listing < 50; listing++)
        {
            // Stopped (T, t), a zombie (Z) or gone: nothing more to do for it.
            string[] running = [.. ChildrenOf(postmasterPid).Where(pid => StateOf(pid) is not ('T' or 't' or 'Z' or null))];
            if (running.Length == 0 && listing > 0) break;
            stopped.UnionWith(running);
            try
            {
                if (running.Length > 0) await RunAsync("kill", ["-STOP", .. running], asPostgres: false);
            }
            catch (InvalidOperationException) when (running.Any(pid => StateOf(pid) is null))
            {
                // A child ended between the listing and the signal (kill then fails, having stopped the others).
            }
            await Task.Delay(20);
        }
        string[] pids = [postmasterPid, .. stopped];
        return new Thaw(() => RunAsync("kill", ["-CONT", .. pids], asPostgres: false));
    }

    /// <summary>The postmaster's children by their parent id (field 4 of /proc/PID/stat, after the parenthesised name).</summary>
    private static IEnumerable<string> ChildrenOf(string parent) =>
        new DirectoryInfo("/proc").EnumerateDirectories().Select(d => d.Name).Where(d => d.All(char.IsAsciiDigit))
            .Where(pid => StatFields(pid) is { } fields && fields[1] == parent);

    /// <summary>A process's state letter (T: stopped), or null when it has ended.</summary>
    private static char? StateOf(string pid) => StatFields(pid) is { } fields ? fields[0][0] : null;

    /// <summary>The fields of /proc/PID/stat after the name (state, parent id, …), or null when the process has ended.</summary>
    private static string[]? StatFields(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;   // ended meanwhile
        }
    }

    private static async Task UntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 250 && !done(); i++) await Task.Delay(20);
    }

    private sealed class Thaw(Func<Task> thaw) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await thaw();
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"thaiyyal_test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    public async Task DisposeAsync()
    {
        if (_root.Length == 0) return;
        try
        {
            NpgsqlConnection.ClearAllPools();
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))) await StopAsync();
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>The newest <c>&lt;root&gt;/&lt;version&gt;/bin</c> with an <c>initdb</c>; a failure naming the package when there is none.</summary>
    public static string FindBinaries(string root)
    {
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b =>
                    double.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), System.Globalization.NumberStyles.Float,
                        System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : -1).ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidOperationException(
                $"PostgreSQL server binaries not found ({root}/*/bin/initdb): install Debian's postgresql package " +
                "(./test.sh does: apt-get install postgresql). These tests need a real PostgreSQL.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres && IsRoot ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (asPostgres && IsRoot)
        {
            foreach (var a in (string[])["-u", "postgres", "--", program]) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        // pg_ctl's server keeps inherited pipes open; read them without waiting for their end.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            // The pipes may stay open in a server that pg_ctl left running; give them a moment, then report what arrived.
            await Task.WhenAny(Task.WhenAll(output, error), Task.Delay(TimeSpan.FromSeconds(1)));
            var text = string.Join(' ', new[] { output, error }.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result.Trim()));
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {text}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
