using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rag.Compression.Ports;
using Rag.Engine.Configuration;
using Rag.Engine.Ingestion;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;

namespace Rag.Storage.Embedded;

/// <summary>Registers the embedded adapter, under <see cref="RagOptions.DataPath"/>, for the parts of <c>Rag:Storage</c> set to <c>Embedded</c>.</summary>
public static class EmbeddedStorage
{
    /// <summary>
    /// Registers what <paramref name="storage"/> keeps embedded: documents in SQLite (<c>rag.db</c>), the lexical
    /// index in Lucene.Net (<c>lexical/</c>, with the start-up migration from the old shared index) and locks in
    /// this process; vectors in files (<c>vectors/</c>); the segment cache in SQLite (<c>segment-cache.db</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="storage">Which parts are embedded.</param>
    public static IServiceCollection AddRagEmbedded(this IServiceCollection services, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.Documents == DocumentStorage.Embedded)
        {
            services.AddSingleton<IDocumentStore>(sp => SqliteDocumentStore.Open(Path.Combine(DataPath(sp), "rag.db"), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton(sp => new LuceneLexicalIndex(Path.Combine(DataPath(sp), "lexical")));
            services.AddSingleton<ILexicalIndex>(sp => sp.GetRequiredService<LuceneLexicalIndex>());
            services.AddHostedService<LexicalIndexMigration>();
            services.AddSingleton<IDocumentLocks>(sp => sp.GetRequiredService<DocumentLocks>());
        }

        if (storage.Vectors == VectorStorage.Embedded)
            services.AddSingleton<IVectorIndex>(sp => EmbeddedVectorIndex.Open(Path.Combine(DataPath(sp), "vectors")));
        if (storage.SegmentCache == SegmentCacheStorage.Embedded)
            services.AddSingleton<ISegmentCache>(sp => new SqliteSegmentCache(Path.Combine(DataPath(sp), "segment-cache.db")));
        return services;
    }

    private static string DataPath(IServiceProvider services) => Path.GetFullPath(services.GetRequiredService<IOptions<RagOptions>>().Value.DataPath);
}
