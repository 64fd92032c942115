using Rag.Retrieval.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rag.Compression.Ports;
using Rag.Retrieval.Vectors;

namespace Rag.Storage.Qdrant;

/// <summary>Registers the Qdrant adapter for the parts of <c>Rag:Storage</c> set to <c>Qdrant</c>.</summary>
public static class QdrantStorage
{
    /// <summary>
    /// Binds and validates <c>Rag:Storage:Qdrant</c>, registers the gRPC connection (Qdrant.Client), and the <paramref name="parts"/>
    /// kept in Qdrant: chunk and unit vectors; the segment cache.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration <c>Rag:Storage:Qdrant</c> is bound from.</param>
    /// <param name="parts">Which parts live in Qdrant.</param>
    public static IServiceCollection AddRagQdrant(this IServiceCollection services, IConfiguration configuration, StorageParts parts)
    {
        services.AddSingleton<IValidateOptions<QdrantOptions>, QdrantOptionsValidator>();
        services.AddOptions<QdrantOptions>().Bind(configuration.GetSection(QdrantOptions.Section)).ValidateOnStart();
        services.AddSingleton(sp => new QdrantConnection(Options(sp), sp.GetService<ILoggerFactory>()));
        if (parts.HasFlag(StorageParts.Vectors))
            services.AddSingleton<IVectorIndex>(sp => new QdrantVectorIndex(sp.GetRequiredService<QdrantConnection>(), Options(sp).CollectionPrefix));
        if (parts.HasFlag(StorageParts.SegmentCache))
            services.AddSingleton<ISegmentCache>(sp => new QdrantSegmentCache(sp.GetRequiredService<QdrantConnection>(), Options(sp).CollectionPrefix));
        return services;
    }

    private static QdrantOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<QdrantOptions>>().Value;
}
