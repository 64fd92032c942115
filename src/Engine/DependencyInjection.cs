using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Rag.Compression;
using Rag.Compression.Extractive;
using Rag.Compression.Ports;
using Rag.Engine.Compression;
using Rag.Engine.Answers;
using Rag.Engine.Configuration;
using Rag.Engine.Diagnostics;
using Rag.Engine.Documents;
using Rag.Engine.Ingestion;
using Rag.Engine.Models;
using Rag.Engine.Search;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;

namespace Rag.Engine;

/// <summary>Registers the Rag pipeline with its embedded stores.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the pipeline: document store (SQLite), lexical index (Lucene.Net) and vector index under
    /// <see cref="RagOptions.DataPath"/>, the configured ONNX models, chunking, search and answers. The host registers an
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
        services.AddSingleton<IVectorIndex>(sp => EmbeddedVectorIndex.Open(Path.Combine(DataPath(sp), "vectors")));
        services.AddSingleton<IOptions<ModelOptions>>(sp => Microsoft.Extensions.Options.Options.Create(Options(sp).Models));
        services.AddSingleton<OnnxSessions>();
        services.AddSingleton<ModelHost>();
        // Loads the models before anything else starts, so a broken model folder stops start-up.
        services.AddHostedService(sp => new ModelWarmup(sp.GetRequiredService<ModelHost>()));
        services.AddMetrics();
        services.AddSingleton<RagMetrics>();
        services.AddSingleton<DocumentLocks>();
        services.AddSingleton<IngestionPipeline>();
        services.AddSingleton<DocumentService>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<ExtractiveSelector>();
        services.AddSingleton<ISegmentCache>(sp => new SqliteSegmentCache(Path.Combine(DataPath(sp), "segment-cache.db")));
        services.AddSingleton(sp =>
        {
            var decoder = sp.GetRequiredService<ModelHost>().Decoder;
            var ports = decoder is null ? null : new DecoderPorts(decoder);
            return new PromptCompressor(sp.GetRequiredService<Tokenizer>(), ports, decoder?.GemFilterLayer is null ? null : ports,
                sp.GetRequiredService<ISegmentCache>(), Options(sp).Compression);
        });
        services.AddSingleton<AskService>();
        services.AddHostedService<IngestionRecovery>();
        services.AddSingleton<VectorBackfill>();
        services.AddHostedService(sp => sp.GetRequiredService<VectorBackfill>());
        return services;
    }

    private static RagOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<RagOptions>>().Value;

    private static string DataPath(IServiceProvider services) => Path.GetFullPath(Options(services).DataPath);

    private sealed class ModelWarmup(ModelHost models) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(models);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
