using Rag.Storage.Qdrant;

namespace Rag.Api.Startup;

/// <summary>What the service says about itself at start.</summary>
internal static partial class StartupLog
{
    [LoggerMessage(EventId = ApiLogEvents.AuthenticationOff, Level = LogLevel.Warning,
        Message = "No API keys are configured (Auth:ApiKeys): authentication is off, so Rag listens on loopback only ({Urls}). Configure API keys to serve other machines.")]
    public static partial void AuthenticationOff(ILogger logger, string urls);

    [LoggerMessage(EventId = ApiLogEvents.AuthenticationOn, Level = LogLevel.Information, Message = "API keys configured: {Count}; data folder: {DataPath}")]
    public static partial void AuthenticationOn(ILogger logger, int count, string dataPath);

    [LoggerMessage(EventId = ApiLogEvents.Mode, Level = LogLevel.Information,
        Message = "Role: {Role}. Answers: {Answers}. Search: {Search}. Storage: {Storage}")]
    public static partial void Mode(ILogger logger, string role, string answers, string search, string storage);

    [LoggerMessage(EventId = ApiLogEvents.WorkerStarted, Level = LogLevel.Information,
        Message = "Rag worker started: runs ingestion jobs ({Workers} at a time) and serves no HTTP. Storage: {Storage}")]
    public static partial void Worker(ILogger logger, int workers, string storage);

    [LoggerMessage(EventId = ApiLogEvents.Admission, Level = LogLevel.Information,
        Message = "Admission: {Generations} generations at once ({GenerationQueue} waiting), their KV caches at most {KvMegabytes} MB ({Positions} tokens each, {KvBytesPerToken} bytes a token); {Compressions} compressions at once ({CompressionQueue} waiting); beyond, 429 (Rag:Limits)")]
    public static partial void Admission(ILogger logger, int generations, int generationQueue, long kvMegabytes, int positions, long kvBytesPerToken, int compressions, int compressionQueue);

    [LoggerMessage(EventId = ApiLogEvents.Ready, Level = LogLevel.Information,
        Message = "Rag is listening on {Urls}. Console: {Console} API reference: {Docs} MCP endpoint: {Mcp} OpenAPI document: {OpenApi}")]
    public static partial void Ready(ILogger logger, string urls, string console, string docs, string mcp, string openApi);

    /// <summary>Where each part lives, in words (no secrets: the connection string is not logged).</summary>
    public static string Describe(Rag.Engine.Configuration.RagOptions options, Rag.Storage.Qdrant.QdrantOptions qdrant)
    {
        var storage = options.Storage;
        var documents = storage.Documents == Rag.Engine.Configuration.DocumentStorage.Postgres
            ? "documents, full-text index and jobs in PostgreSQL"
            : $"documents in SQLite, Lucene.Net index, jobs in memory ({options.DataPath})";
        var vectors = storage.Vectors == Rag.Engine.Configuration.VectorStorage.Qdrant ? $"vectors in Qdrant at {qdrant.Describe()}" : "vectors in files under the data folder";
        var cache = storage.SegmentCache switch
        {
            Rag.Engine.Configuration.SegmentCacheStorage.Postgres => "segment cache in PostgreSQL",
            Rag.Engine.Configuration.SegmentCacheStorage.Qdrant => storage.Vectors == Rag.Engine.Configuration.VectorStorage.Qdrant ? "segment cache in Qdrant" : $"segment cache in Qdrant at {qdrant.Describe()}",
            _ => "segment cache in SQLite under the data folder",
        };
        return $"{documents}; {vectors}; {cache}";
    }

    public static void LogWorkerStart(this IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Rag.Worker");
        var options = services.GetRequiredService<IOptions<RagOptions>>().Value;
        StartupLog.Worker(logger, options.Ingestion.Workers, StartupLog.Describe(options, services.GetRequiredService<IOptions<QdrantOptions>>().Value));
    }

    /// <summary>What the service says when it starts: who may call it, its mode, its stores and what the gates bound.</summary>
    public static void LogStart(WebApplication app, ServiceRole role)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rag.Api");
        var dataPath = Path.GetFullPath(app.Services.GetRequiredService<IOptions<RagOptions>>().Value.DataPath);
        var keys = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.ApiKeys.Count;
        if (keys == 0)
            StartupLog.AuthenticationOff(logger, string.Join(";", LoopbackBinding.Resolve(app.Configuration["urls"], authEnabled: false)));
        else
            StartupLog.AuthenticationOn(logger, keys, dataPath);
        var options = app.Services.GetRequiredService<IOptions<RagOptions>>().Value;
        var models = app.Services.GetRequiredService<Rag.Engine.Models.ModelHost>();
        StartupLog.Mode(
            logger,
            role == ServiceRole.Api ? "api (serves HTTP, queues jobs for workers)" : "all (serves HTTP and runs ingestion jobs)",
            models.Decoder is null ? "extractive (no generator configured)" : $"generated by {models.Decoder.ModelId}",
            models.Embedder is null ? "lexical (no encoder)" : $"hybrid by default, encoder {models.Embedder.ModelId}",
            StartupLog.Describe(options, app.Services.GetRequiredService<IOptions<QdrantOptions>>().Value));
        if (models.Decoder is { } decoder)
        {
            // What the generation gate bounds: the KV caches of the generations it admits at once.
            var perToken = decoder.KvCacheBytesPerToken;
            var limits = options.Limits;
            StartupLog.Admission(logger, limits.Generation.MaxConcurrent, limits.Generation.MaxQueued,
                perToken * decoder.MaxPositions * limits.Generation.MaxConcurrent / (1024 * 1024), decoder.MaxPositions, perToken,
                limits.Compression.MaxConcurrent, limits.Compression.MaxQueued);
        }
    }
}
