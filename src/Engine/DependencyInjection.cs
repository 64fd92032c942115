using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

/// <summary>Registers the Rag pipeline; the stores come from an adapter project.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the pipeline over its ports: the configured ONNX models, chunking, ingestion, search, compression and
    /// answers. The stores behind the ports (<see cref="IDocumentStore"/>, <see cref="ILexicalIndex"/>,
    /// <see cref="IVectorIndex"/>, <see cref="ISegmentCache"/>, <see cref="IDocumentLocks"/>) come from a storage
    /// adapter (Rag.Storage.Embedded, .Postgres, .Qdrant; Rag.Hosting's <c>AddRag</c> picks them from
    /// <c>Rag:Storage</c>). The host registers an <see cref="IIngestionQueue"/> and, where it runs jobs,
    /// <see cref="AddRagBackgroundWork"/>.
    /// </summary>
    public static IServiceCollection AddRagEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RagOptions, RagOptionsValidator>(configuration, RagOptions.Section);
        // The clock stale-document recovery and the embedded store read; tests put a fake one in first.
        services.TryAddSingleton(TimeProvider.System);
        // Budgets and chunk sizes count cl100k tokens: the tokenizer of the external LLMs most callers use.
        services.AddSingleton<Tokenizer>(_ => TiktokenTokenizer.CreateForEncoding("cl100k_base"));
        services.AddSingleton(sp => new DocumentChunker(sp.GetRequiredService<Tokenizer>(), Options(sp).Chunking));
        services.AddSingleton<DocumentLocks>();
        services.AddSingleton<IngestionRuns>();
        services.AddSingleton<IOptions<ModelOptions>>(sp => Microsoft.Extensions.Options.Options.Create(Options(sp).Models));
        services.AddSingleton<OnnxSessions>();
        services.AddSingleton<ModelHost>();
        // The model ports. Null where the role has no model: then search is lexical and answers are extractive.
        services.AddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<ModelHost>().Embedder!);
        services.AddSingleton<ITextGenerator>(sp => sp.GetRequiredService<ModelHost>().Decoder!);
        // The encoder as Microsoft.Extensions.AI sees embeddings: documents unkeyed, queries keyed "query".
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            sp.GetService<ITextEmbedder>() is { } embedder ? new RagEmbeddingGenerator(embedder) : null!);
        services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(RagEmbeddingGenerator.QueryKey, (sp, _) =>
            sp.GetService<ITextEmbedder>() is { } embedder ? new RagEmbeddingGenerator(embedder, EmbeddingPurpose.Query) : null!);
        // Loads the models before anything else starts, so a broken model folder stops start-up.
        services.AddHostedService(sp => new ModelWarmup(sp.GetRequiredService<ModelHost>()));
        services.AddMetrics();
        services.AddSingleton<RagMetrics>();
        services.AddSingleton<IngestionPipeline>();
        services.AddSingleton<DocumentService>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<ExtractiveSelector>();
        services.AddSingleton(sp =>
        {
            // Compression scores with the scorer (a small decoder), which may or may not be the generator.
            var scorer = sp.GetRequiredService<ModelHost>().Scorer;
            var ports = scorer is null ? null : new DecoderPorts(scorer);
            // Coarse-to-fine ranks sentences with the encoder, weighted against BM25 by the encoder's fitted sentence
            // weight (else as hybrid search weighs its lists).
            var similarity = sp.GetService<ITextEmbedder>() is { } embedder
                ? new EncoderSimilarity(embedder, embedder.SentenceDenseWeight ?? sp.GetRequiredService<SearchService>().DenseWeight)
                : null;
            return new PromptCompressor(sp.GetRequiredService<Tokenizer>(), ports, scorer?.GemFilterLayer is null ? null : ports,
                sp.GetRequiredService<ISegmentCache>(), Options(sp).Compression, similarity);
        });
        services.AddSingleton<Rag.Engine.Admission.WorkAdmission>();
        services.AddSingleton<AskService>();
        services.AddSingleton<VectorBackfill>();
        return services;
    }

    /// <summary>
    /// The start-up work of a process that runs ingestion: queue again the documents whose ingestion
    /// had not ended (<see cref="IngestionRecovery"/>) and embed ready documents that lack vectors from
    /// the configured embedder (<see cref="VectorBackfill"/>). Call after <see cref="AddRagEngine"/>.
    /// </summary>
    public static IServiceCollection AddRagBackgroundWork(this IServiceCollection services)
    {
        services.AddHostedService<IngestionRecovery>();
        services.AddHostedService(sp => sp.GetRequiredService<VectorBackfill>());
        return services;
    }

    private static RagOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<RagOptions>>().Value;

    private sealed class ModelWarmup(ModelHost models) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(models);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
