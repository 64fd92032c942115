using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Rag.Compression.Extractive;
using Rag.Engine.Answers;
using Rag.Engine.Configuration;
using Rag.Engine.Diagnostics;
using Rag.Engine.Documents;
using Rag.Engine.Ingestion;
using Rag.Engine.Search;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;

namespace Rag.Engine;

/// <summary>Registers the Rag pipeline with its embedded stores.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the pipeline: document store (SQLite) and lexical index (Lucene.Net) under
    /// <see cref="RagOptions.DataPath"/>, chunking, search and answers. The host registers an
    /// <see cref="IIngestionQueue"/> and runs <see cref="IngestionPipeline"/> for what it queues.
    /// </summary>
    public static IServiceCollection AddRagEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RagOptions>().Bind(configuration.GetSection(RagOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RagOptions>, RagOptionsValidator>();

        // Budgets and chunk sizes count cl100k tokens: the tokenizer of the external LLMs most callers use.
        services.AddSingleton<Tokenizer>(_ => TiktokenTokenizer.CreateForEncoding("cl100k_base"));
        services.AddSingleton(sp => new DocumentChunker(sp.GetRequiredService<Tokenizer>(), Options(sp).Chunking));
        services.AddSingleton<IDocumentStore>(sp => SqliteDocumentStore.Open(Path.Combine(DataPath(sp), "rag.db")));
        services.AddSingleton<ILexicalIndex>(sp => new LuceneLexicalIndex(Path.Combine(DataPath(sp), "lexical")));
        services.AddMetrics();
        services.AddSingleton<RagMetrics>();
        services.AddSingleton<DocumentLocks>();
        services.AddSingleton<IngestionPipeline>();
        services.AddSingleton<DocumentService>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<ExtractiveSelector>();
        services.AddSingleton<AskService>();
        services.AddHostedService<IngestionRecovery>();
        return services;
    }

    private static RagOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<RagOptions>>().Value;

    private static string DataPath(IServiceProvider services) => Path.GetFullPath(Options(services).DataPath);
}
