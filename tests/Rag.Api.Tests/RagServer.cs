using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Rag.Api.Tests;

/// <summary>
/// The real service in its own process, on a free loopback port, over a data folder of its own.
/// Stopping it is a kill -9: tests that restart it see exactly what a crash leaves behind.
/// </summary>
public sealed partial class RagServer : IServiceUnderTest
{
    private readonly Process _process;
    private readonly List<string> _log = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RagServer(string dataPath, IReadOnlyDictionary<string, string> settings, string? role)
    {
        DataPath = dataPath;
        Role = role;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Rag.Api.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        if (role is not null)
        {
            start.ArgumentList.Add("--role");
            start.ArgumentList.Add(role);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Rag__DataPath"] = dataPath;
        // Every test server shares one folder of built-in models: it is written once per machine (under a
        // lock, as concurrent starts do), not 90 MB per data folder. A test that means the default gives "".
        start.Environment["Rag__Models__BuiltInPath"] = SharedModels;
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.Exited += (_, _) =>
        {
            // Wait for the redirected output to end, so the message holds the service's last words.
            _process.WaitForExit();
            _listening.TrySetException(new InvalidOperationException("The service exited at start:\n" + Log));
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string DataPath { get; }

    /// <summary>The <c>--role</c> it was started with (null: the default, all).</summary>
    public string? Role { get; }

    /// <summary>The process id, for tests that kill it from outside.</summary>
    public int ProcessId => _process.Id;

    public Uri BaseAddress { get; private set; } = null!;

    public string Log
    {
        get
        {
            lock (_log)
                return string.Join('\n', _log);
        }
    }

    /// <summary>
    /// Starts the service and waits until it listens — or, for <c>--role worker</c>, until it says it
    /// runs jobs (a worker has no address).
    /// </summary>
    public static async Task<RagServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null, string? dataPath = null, string? role = null)
    {
        var server = new RagServer(dataPath ?? NewDataPath(), settings ?? new Dictionary<string, string>(), role);
        try
        {
            server.BaseAddress = await server._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The built-in models folder test servers share (the engine tests' real encoders use it too).</summary>
    public static readonly string SharedModels = Path.Combine(Path.GetTempPath(), "rag-tests", "models");

    public static string NewDataPath() => Path.Combine(Path.GetTempPath(), "rag-tests", Guid.NewGuid().ToString("N"));

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Sends SIGTERM, as an orchestrator stopping the service does, and returns the exit code once it has exited.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills the process without warning, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.Add(line);
        var match = ListeningOn().Match(line);
        if (match.Success)
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        else if (line.Contains("Rag worker started", StringComparison.Ordinal))
            _listening.TrySetResult(new Uri("worker:", UriKind.Absolute));
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
