namespace Rag.Engine.Configuration;

/// <summary>The <c>Rag:Storage</c> section: which implementation backs each part.</summary>
public sealed class StorageOptions
{
    /// <summary>Documents, chunks, the lexical index and background jobs.</summary>
    public DocumentStorage Documents { get; set; } = DocumentStorage.Embedded;

    /// <summary>Chunk vectors.</summary>
    public VectorStorage Vectors { get; set; } = VectorStorage.Embedded;

    /// <summary>Compressed-segment results.</summary>
    public SegmentCacheStorage SegmentCache { get; set; } = SegmentCacheStorage.Embedded;

    /// <summary>Used when any part is <c>Postgres</c>.</summary>
    public PostgresOptions Postgres { get; set; } = new();

    /// <summary>Used when any part is <c>Qdrant</c>.</summary>
    public QdrantOptions Qdrant { get; set; } = new();

    /// <summary>True when any part lives in PostgreSQL.</summary>
    public bool UsesPostgres => Documents == DocumentStorage.Postgres || SegmentCache == SegmentCacheStorage.Postgres;

    /// <summary>True when any part lives in Qdrant.</summary>
    public bool UsesQdrant => Vectors == VectorStorage.Qdrant || SegmentCache == SegmentCacheStorage.Qdrant;
}

/// <summary>Where documents, chunks, the lexical index and jobs live.</summary>
public enum DocumentStorage
{
    /// <summary>SQLite + Lucene.Net under the data folder, Hangfire in memory: one process.</summary>
    Embedded,

    /// <summary>PostgreSQL (full text for the lexical index, Hangfire.PostgreSql for jobs): any number of processes.</summary>
    Postgres,
}

/// <summary>Where chunk vectors live.</summary>
public enum VectorStorage
{
    /// <summary>Exact search in process, one file per document under the data folder.</summary>
    Embedded,

    /// <summary>A Qdrant server (REST).</summary>
    Qdrant,
}

/// <summary>Where compressed-segment results are cached.</summary>
public enum SegmentCacheStorage
{
    /// <summary>A SQLite file under the data folder, per process.</summary>
    Embedded,

    /// <summary>A PostgreSQL table, shared by every process.</summary>
    Postgres,

    /// <summary>A Qdrant collection, shared by every process.</summary>
    Qdrant,
}

/// <summary>The <c>Rag:Storage:Postgres</c> section.</summary>
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=postgres;Database=rag;Username=rag;Password=…</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a job taken by a worker that died stays invisible before another worker takes it
    /// (live workers keep extending it). Default 2 minutes.
    /// </summary>
    public TimeSpan JobInvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>The <c>Rag:Storage:Qdrant</c> section.</summary>
public sealed class QdrantOptions
{
    /// <summary>The REST endpoint, e.g. <c>http://qdrant:6333</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Sent as the <c>api-key</c> header when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Prefix of the Qdrant collections Rag creates (<c>{prefix}chunks</c>, <c>{prefix}segment_cache</c>).</summary>
    public string CollectionPrefix { get; set; } = "rag_";

    /// <summary>Attempts for a request that gets 429 or 503 (or no answer) before giving up.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
