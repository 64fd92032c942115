namespace Rag.Engine.Configuration;

/// <summary>
/// The <c>Rag:Storage</c> section: which adapter backs each part. The adapters' own settings are their
/// sections below it (<c>Rag:Storage:Postgres</c>, <c>Rag:Storage:Qdrant</c>), bound and validated by the adapter.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>Documents, chunks, the lexical index and background jobs.</summary>
    public DocumentStorage Documents { get; set; } = DocumentStorage.Embedded;

    /// <summary>Chunk vectors.</summary>
    public VectorStorage Vectors { get; set; } = VectorStorage.Embedded;

    /// <summary>Compressed-segment results.</summary>
    public SegmentCacheStorage SegmentCache { get; set; } = SegmentCacheStorage.Embedded;

    /// <summary>True when any part lives in PostgreSQL.</summary>
    public bool UsesPostgres => Documents == DocumentStorage.Postgres || SegmentCache == SegmentCacheStorage.Postgres;

    /// <summary>True when any part lives in Qdrant.</summary>
    public bool UsesQdrant => Vectors == VectorStorage.Qdrant || SegmentCache == SegmentCacheStorage.Qdrant;
}
