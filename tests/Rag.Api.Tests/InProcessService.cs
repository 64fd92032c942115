using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rag.Api.Tests;

/// <summary>The service a test talks to: its own process (<see cref="RagServer"/>) or hosted in the test (<see cref="InProcessService"/>).</summary>
public interface IServiceUnderTest : IAsyncDisposable
{
    Uri BaseAddress { get; }

    string DataPath { get; }

    /// <summary>What the service logged so far, one JSON object per line (the console's JSON form).</summary>
    string Log { get; }

    HttpClient Client(string? apiKey = null);
}

/// <summary>
/// The in-process tier: the same <c>Program</c> and configuration as <see cref="RagServer"/>, hosted in the test
/// process on a real loopback socket (Kestrel), so real clients (OpenAI, MCP, browsers) reach it as they reach a
/// process — without a process start and its JIT. For what needs a process (kill -9, SIGTERM, roles, its console
/// output), <see cref="RagServer"/>.
/// </summary>
public sealed class InProcessService : IServiceUnderTest
{
    private readonly Factory _factory;

    private InProcessService(Factory factory, string dataPath)
    {
        _factory = factory;
        DataPath = dataPath;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string DataPath { get; }

    public string Log => _factory.Lines.Text;

    /// <summary>Starts the service with <paramref name="settings"/> over a new data folder (or <paramref name="dataPath"/>) and waits until it listens.</summary>
    public static Task<InProcessService> StartAsync(IReadOnlyDictionary<string, string>? settings = null, string? dataPath = null)
    {
        dataPath ??= RagServer.NewDataPath();
        var configuration = new Dictionary<string, string?>
        {
            [HostDefaults.EnvironmentKey] = "Production",
            ["urls"] = "http://127.0.0.1:0",
            ["Rag:DataPath"] = dataPath,
            ["Rag:Models:BuiltInPath"] = RagServer.SharedModels,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            configuration[key] = value;

        var factory = new Factory(configuration);
        try
        {
            factory.UseKestrel();
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return Task.FromResult(new InProcessService(factory, dataPath) { BaseAddress = new Uri(address) });
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private sealed class Factory(Dictionary<string, string?> configuration) : WebApplicationFactory<Program>
    {
        public LogLines Lines { get; } = new();

        // Host configuration, not app configuration: Program reads some settings (role, storage, models) while it
        // builds, before anything a web host builder adds would be seen.
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(configuration));
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(new LogLinesProvider(Lines));
            });
            return base.CreateHost(builder);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Production");
    }

    /// <summary>The lines logged, kept in order.</summary>
    private sealed class LogLines
    {
        private readonly List<string> _lines = [];

        public string Text
        {
            get
            {
                lock (_lines)
                    return string.Join('\n', _lines);
            }
        }

        public void Add(string line)
        {
            lock (_lines)
                _lines.Add(line);
        }
    }

    /// <summary>Each entry as the console's JSON formatter writes it (EventId, LogLevel, Category, Message, State).</summary>
    private sealed class LogLinesProvider(LogLines lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogLines lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                    return;
                var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
                var entry = new Dictionary<string, object?>
                {
                    ["EventId"] = eventId.Id,
                    ["LogLevel"] = logLevel.ToString(),
                    ["Category"] = category,
                    ["Message"] = formatter(state, exception),
                    ["Exception"] = exception?.ToString(),
                    ["State"] = values.ToDictionary(v => v.Key, v => v.Value?.ToString()),
                };
                lines.Add(JsonSerializer.Serialize(entry));
            }
        }
    }
}
