using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rag.Engine.Ingestion;
using Rag.Hosting;

namespace Rag.Bench;

/// <summary>The engine as the service composes it, in this process, with a queue the bench drains itself.</summary>
internal static class BenchEngine
{
    public static (ServiceProvider Provider, InlineQueue Queue) Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddRag(configuration);
        var queue = new InlineQueue();
        services.AddSingleton<IIngestionQueue>(queue);
        return (services.BuildServiceProvider(), queue);
    }
}
