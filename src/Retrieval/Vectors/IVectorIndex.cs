using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Vectors;

/// <summary>
/// Chunk vectors, partitioned by collection, searched by cosine similarity; and, with each chunk, the
/// vectors of its units (sentences) with their spans — read back to compress retrieved chunks without
/// an encoder pass, and searched by a chunk's best unit (max-sim).
/// </summary>
public interface IVectorIndex
{
    /// <summary>Replaces the document's vectors (and unit vectors) with <paramref name="vectors"/> and makes them durable and searchable.</summary>
    Task UpsertAsync(string collection, string documentId, IReadOnlyList<string> tags, string modelId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="UpsertAsync"/> for several documents of a collection (a group of a batch); an index whose durability
    /// costs per write (a file's fsync) overlaps them. Each document's vectors are replaced whole or not at all.
    /// </summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="modelId">The model that made the vectors.</param>
    /// <param name="documents">Each document's id, tags and vectors.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task UpsertManyAsync(string collection, string modelId, IReadOnlyList<(string DocumentId, IReadOnlyList<string> Tags, IReadOnlyList<ChunkVector> Vectors)> documents, CancellationToken cancellationToken);

    /// <summary>Removes every vector of the document.</summary>
    Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken);

    /// <summary>True when the document has vectors made by <paramref name="modelId"/>.</summary>
    Task<bool> ContainsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken);

    /// <summary>True when the document has unit vectors made by <paramref name="modelId"/> (written by a version that stores them).</summary>
    Task<bool> HasUnitsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken);

    /// <summary>The unit vectors of <paramref name="chunks"/> made by <paramref name="modelId"/>; chunks without any are left out.</summary>
    Task<IReadOnlyDictionary<ChunkRef, IReadOnlyList<UnitVector>>> GetUnitsAsync(
        string collection, string modelId, IReadOnlyList<ChunkRef> chunks, CancellationToken cancellationToken);

    /// <summary>
    /// The <paramref name="topK"/> chunks whose best unit is most similar to <paramref name="query"/> (max-sim), best
    /// first, scored by that unit's cosine; chunks without unit vectors are not found this way.
    /// </summary>
    Task<IReadOnlyList<VectorHit>> SearchUnitsAsync(string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken);

    /// <summary>
    /// The <paramref name="topK"/> chunks most similar to <paramref name="query"/> (a unit vector of
    /// <paramref name="modelId"/>), best first; with tags, only chunks of documents that carry all of them.
    /// </summary>
    Task<IReadOnlyList<VectorHit>> SearchAsync(string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken);
}
