using Microsoft.Extensions.DependencyInjection;
using Rag.Compression.Ports;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;

namespace Rag.Storage.Embedded;

/// <summary>Registers the embedded adapter, under the service's data folder, for the parts of <c>Rag:Storage</c> set to <c>Embedded</c>.</summary>
public static class EmbeddedStorage
{
    /// <summary>
    /// Registers the <paramref name="parts"/> kept embedded, under the folder <paramref name="dataPath"/> gives: documents in SQLite (<c>rag.db</c>), the lexical
    /// index in Lucene.Net (<c>lexical/</c>, with the start-up migration from the old shared index) and locks in
    /// this process; vectors in files (<c>vectors/</c>); the segment cache in SQLite (<c>segment-cache.db</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="parts">Which parts are embedded.</param>
    /// <param name="dataPath">The data folder (<c>Rag:DataPath</c>), resolved when the first part is opened.</param>
    public static IServiceCollection AddRagEmbedded(this IServiceCollection services, StorageParts parts, Func<IServiceProvider, string> dataPath)
    {
        ArgumentNullException.ThrowIfNull(dataPath);
        string DataPath(IServiceProvider services) => Path.GetFullPath(dataPath(services));
        if (parts.HasFlag(StorageParts.Documents))
        {
            services.AddSingleton<IDocumentStore>(sp => SqliteDocumentStore.Open(Path.Combine(DataPath(sp), "rag.db"), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton(sp => new LuceneLexicalIndex(Path.Combine(DataPath(sp), "lexical")));
            services.AddSingleton<ILexicalIndex>(sp => sp.GetRequiredService<LuceneLexicalIndex>());
            services.AddHostedService<LexicalIndexMigration>();
            services.AddSingleton<IDocumentLocks>(sp => sp.GetRequiredService<DocumentLocks>());
        }

        if (parts.HasFlag(StorageParts.Vectors))
            services.AddSingleton<IVectorIndex>(sp => EmbeddedVectorIndex.Open(Path.Combine(DataPath(sp), "vectors")));
        if (parts.HasFlag(StorageParts.SegmentCache))
            services.AddSingleton<ISegmentCache>(sp => new SqliteSegmentCache(Path.Combine(DataPath(sp), "segment-cache.db")));
        return services;
    }
}
