namespace Rag.Engine.Configuration;

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
