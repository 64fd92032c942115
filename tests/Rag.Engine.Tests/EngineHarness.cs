using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rag.Hosting;
using Rag.Engine.Ingestion;

namespace Rag.Engine.Tests;

/// <summary>The engine as the service composes it, over real stores in a temporary folder, with a queue the test drains.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public EngineHarness(string? dataPath = null, Dictionary<string, string?>? settings = null)
    {
        DataPath = dataPath ?? Path.Combine(Path.GetTempPath(), "rag-tests", Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?>
        {
            ["Rag:DataPath"] = DataPath,
            // The default encoder (arctic-embed-xs), from the folder every test process shares.
            ["Rag:Models:BuiltInPath"] = Models.RealEncoders.SharedFolder,
            ["Rag:Chunking:MaxTokens"] = "64",
            ["Rag:Chunking:OverlapTokens"] = "8",
        };
        foreach (var (key, value) in settings ?? [])
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // A clock the tests move: stale-document recovery and the embedded store read it.
        services.AddSingleton<TimeProvider>(Time);
        services.AddRag(configuration);
        services.AddRagBackgroundWork();
        services.AddSingleton<IIngestionQueue>(Queue);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public string DataPath { get; }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public RecordingQueue Queue { get; } = new();

    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs every queued ingestion, as the job runner would.</summary>
    public async Task DrainAsync()
    {
        var pipeline = Get<IngestionPipeline>();
        while (Queue.TryTake(out var item))
            await pipeline.RunAsync(item.Collection, item.DocumentId, CancellationToken.None);
    }

    public async Task StartHostedServicesAsync()
    {
        foreach (var service in Services.GetServices<IHostedService>())
            await service.StartAsync(CancellationToken.None);
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

internal sealed class RecordingQueue : IIngestionQueue
{
    private readonly Queue<(string Collection, string DocumentId)> _items = new();

    public List<(string Collection, string DocumentId)> Enqueued { get; } = [];

    public void Enqueue(string collection, string documentId, long sizeBytes)
    {
        lock (_items)
        {
            _items.Enqueue((collection, documentId));
            Enqueued.Add((collection, documentId));
        }
    }

    public bool TryTake(out (string Collection, string DocumentId) item)
    {
        lock (_items)
            return _items.TryDequeue(out item);
    }
}
