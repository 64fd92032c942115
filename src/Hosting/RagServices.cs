using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rag.Engine;
using Rag.Engine.Configuration;
using Rag.Engine.Ingestion;
using Rag.Retrieval.Stores;
using Rag.Storage.Embedded;
using Rag.Storage.Postgres;
using Rag.Storage.Qdrant;

namespace Rag.Hosting;

/// <summary>Composes the engine with the storage adapters that <c>Rag:Storage</c> names.</summary>
public static class RagServices
{
    /// <summary>
    /// The engine (<see cref="DependencyInjection.AddRagEngine"/>) over the stores <c>Rag:Storage</c> chooses:
    /// embedded parts from Rag.Storage.Embedded, PostgreSQL parts from Rag.Storage.Postgres, Qdrant parts
    /// from Rag.Storage.Qdrant. The choice is read once, here; each adapter binds and validates its own section.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration with the <c>Rag</c> section.</param>
    public static IServiceCollection AddRag(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = ReadStorage(configuration);
        // Adapters first: their hosted services (schema migration, index migration) run before the engine's.
        services.AddRagEmbedded(Parts(storage, DocumentStorage.Embedded, VectorStorage.Embedded, SegmentCacheStorage.Embedded),
            sp => sp.GetRequiredService<IOptions<RagOptions>>().Value.DataPath);
        if (storage.UsesPostgres)
            services.AddRagPostgres(configuration, Parts(storage, DocumentStorage.Postgres, null, SegmentCacheStorage.Postgres));
        if (storage.UsesQdrant)
            services.AddRagQdrant(configuration, Parts(storage, null, VectorStorage.Qdrant, SegmentCacheStorage.Qdrant));
        return services.AddRagEngine(configuration);
    }

    /// <summary>
    /// Everything a library host needs to use Rag in process (a Semantic Kernel or console app with no
    /// Rag service): <see cref="AddRag"/>, ingestion in background tasks of this process
    /// (<see cref="InProcessIngestionQueue"/>), and <see cref="DependencyInjection.AddRagBackgroundWork"/>. Run it in a
    /// host (<c>Host.CreateApplicationBuilder</c>) so the background services start.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration with the <c>Rag</c> section.</param>
    public static IServiceCollection AddRagInProcess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRag(configuration);
        services.AddSingleton<InProcessIngestionQueue>();
        services.AddSingleton<IIngestionQueue>(sp => sp.GetRequiredService<InProcessIngestionQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<InProcessIngestionQueue>());
        return services.AddRagBackgroundWork();
    }

    /// <summary>The parts <paramref name="storage"/> gives to one adapter, the one whose choices are named.</summary>
    private static StorageParts Parts(StorageOptions storage, DocumentStorage? documents, VectorStorage? vectors, SegmentCacheStorage? segmentCache) =>
        (storage.Documents == documents ? StorageParts.Documents : StorageParts.None)
        | (storage.Vectors == vectors ? StorageParts.Vectors : StorageParts.None)
        | (storage.SegmentCache == segmentCache ? StorageParts.SegmentCache : StorageParts.None);

    /// <summary>
    /// The <c>Rag:Storage</c> choice. The binder refuses a value that is not a member of the enum, naming the key.
    /// </summary>
    /// <param name="configuration">The configuration with the <c>Rag</c> section.</param>
    public static StorageOptions ReadStorage(IConfiguration configuration) =>
        configuration.GetSection($"{RagOptions.Section}:Storage").Get<StorageOptions>() ?? new StorageOptions();
}
