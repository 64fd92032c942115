namespace Rag.Compression.Ports;

/// <summary>
/// Compressed-segment results, reused across requests and questions. Keys are built by the
/// compressors (segment hash, method, model); values are opaque bytes to the cache. Embedded
/// adapters: SQLite (embedded), PostgreSQL and Qdrant (server deployment), on <see cref="SegmentCacheBase"/>.
/// </summary>
public interface ISegmentCache
{
    /// <summary>The cached values for <paramref name="keys"/> (null where missing), in order.</summary>
    Task<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="entries"/>; an entry already stored may be kept or replaced (entries are immutable).</summary>
    Task SetManyAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken);
}
