using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
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
using Rag.Retrieval.Stores.Postgres;
using Rag.Retrieval.Vectors;
using Rag.Retrieval.Vectors.Qdrant;

namespace Rag.Engine;

/// <summary>Registers the Rag pipeline with its embedded stores.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the pipeline: document store (SQLite), lexical index (Lucene.Net) and vector index under
    /// <see cref="RagOptions.DataPath"/>, the configured ONNX models, chunking, search and answers. The host registers an
    /// <see cref="IIngestionQueue"/>, runs <see cref="IngestionPipeline"/> for what it queues and, where it runs
    /// jobs, <see cref="IngestionRecovery"/>. <c>Rag:Storage</c> swaps in PostgreSQL (documents, lexical index,
    /// locks, segment cache) and Qdrant (vectors, segment cache).
    /// </summary>
    public static IServiceCollection AddRagEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RagOptions>().Bind(configuration.GetSection(RagOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RagOptions>, RagOptionsValidator>();
        var storage = configuration.GetSection($"{RagOptions.Section}:Storage").Get<StorageOptions>() ?? new StorageOptions();
        if (storage.UsesPostgres && !string.IsNullOrWhiteSpace(storage.Postgres.ConnectionString))
        {
            var connectionString = storage.Postgres.ConnectionString;
            services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            // First of the hosted services: the schema is current before recovery, jobs or requests touch it.
            services.AddHostedService(sp => new PostgresSchemaMigration(connectionString, sp.GetRequiredService<ILogger<PostgresSchemaMigration>>()));
        }

        // Budgets and chunk sizes count cl100k tokens: the tokenizer of the external LLMs most callers use.
        services.AddSingleton<Tokenizer>(_ => TiktokenTokenizer.CreateForEncoding("cl100k_base"));
        services.AddSingleton(sp => new DocumentChunker(sp.GetRequiredService<Tokenizer>(), Options(sp).Chunking));
        services.AddSingleton<DocumentLocks>();
        services.AddSingleton<IngestionRuns>();
        if (storage.Documents == DocumentStorage.Postgres)
        {
            services.AddSingleton<IDocumentStore>(sp => new PostgresDocumentStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<ILexicalIndex>(sp => new PostgresLexicalIndex(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IDocumentLocks>(sp => new PostgresDocumentLocks(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<DocumentLocks>()));
        }
        else
        {
            services.AddSingleton<IDocumentStore>(sp => SqliteDocumentStore.Open(Path.Combine(DataPath(sp), "rag.db")));
            services.AddSingleton(sp => new LuceneLexicalIndex(Path.Combine(DataPath(sp), "lexical")));
            services.AddSingleton<ILexicalIndex>(sp => sp.GetRequiredService<LuceneLexicalIndex>());
            services.AddHostedService<LexicalIndexMigration>();
            services.AddSingleton<IDocumentLocks>(sp => sp.GetRequiredService<DocumentLocks>());
        }

        if (storage.UsesQdrant && Uri.TryCreate(storage.Qdrant.Url, UriKind.Absolute, out var qdrantUrl))
        {
            var qdrant = storage.Qdrant;
            services.AddSingleton(_ => new QdrantClient(
                new HttpClient { BaseAddress = qdrantUrl, Timeout = qdrant.Timeout }, qdrant.ApiKey, qdrant.MaxAttempts));
        }

        if (storage.Vectors == VectorStorage.Qdrant)
            services.AddSingleton<IVectorIndex>(sp => new QdrantVectorIndex(sp.GetRequiredService<QdrantClient>(), storage.Qdrant.CollectionPrefix));
        else
            services.AddSingleton<IVectorIndex>(sp => EmbeddedVectorIndex.Open(Path.Combine(DataPath(sp), "vectors")));
        services.AddSingleton<IOptions<ModelOptions>>(sp => Microsoft.Extensions.Options.Options.Create(Options(sp).Models));
        services.AddSingleton<OnnxSessions>();
        services.AddSingleton<ModelHost>();
        // Loads the models before anything else starts, so a broken model folder stops start-up.
        services.AddHostedService(sp => new ModelWarmup(sp.GetRequiredService<ModelHost>()));
        services.AddMetrics();
        services.AddSingleton<RagMetrics>();
        services.AddSingleton<IngestionPipeline>();
        services.AddSingleton<DocumentService>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<ExtractiveSelector>();
        services.AddSingleton<ISegmentCache>(sp => storage.SegmentCache switch
        {
            SegmentCacheStorage.Postgres => new PostgresSegmentCache(sp.GetRequiredService<NpgsqlDataSource>()),
            SegmentCacheStorage.Qdrant => new QdrantSegmentCache(sp.GetRequiredService<QdrantClient>(), storage.Qdrant.CollectionPrefix),
            _ => new SqliteSegmentCache(Path.Combine(DataPath(sp), "segment-cache.db")),
        });
        services.AddSingleton(sp =>
        {
            // Compression scores with the scorer (a small decoder), which may or may not be the generator.
            var scorer = sp.GetRequiredService<ModelHost>().Scorer;
            var ports = scorer is null ? null : new DecoderPorts(scorer);
            // Coarse-to-fine ranks sentences with the encoder, weighted against BM25 as hybrid search is.
            var similarity = sp.GetRequiredService<ModelHost>().Embedder is { } embedder
                ? new EncoderSimilarity(embedder, sp.GetRequiredService<SearchService>().DenseWeight)
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
    /// Everything a library host needs to use Rag in process (a Semantic Kernel or console app with no
    /// Rag service): <see cref="AddRagEngine"/>, ingestion in background tasks of this process
    /// (<see cref="InProcessIngestionQueue"/>), and <see cref="AddRagBackgroundWork"/>. Run it in a host
    /// (<c>Host.CreateApplicationBuilder</c>) so the background services start.
    /// </summary>
    public static IServiceCollection AddRagInProcess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRagEngine(configuration);
        services.AddSingleton<InProcessIngestionQueue>();
        services.AddSingleton<IIngestionQueue>(sp => sp.GetRequiredService<InProcessIngestionQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<InProcessIngestionQueue>());
        return services.AddRagBackgroundWork();
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

    private static string DataPath(IServiceProvider services) => Path.GetFullPath(Options(services).DataPath);

    private sealed class ModelWarmup(ModelHost models) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(models);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
