namespace Rag.Retrieval.Vectors;

/// <summary>Chunk vectors, partitioned by collection, searched by cosine similarity.</summary>
public interface IVectorIndex
{
    /// <summary>Replaces the document's vectors with <paramref name="vectors"/> and makes them durable and searchable.</summary>
    Task UpsertAsync(string collection, string documentId, IReadOnlyList<string> tags, string modelId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken);

    /// <summary>Removes every vector of the document.</summary>
    Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken);

    /// <summary>True when the document has vectors made by <paramref name="modelId"/>.</summary>
    Task<bool> ContainsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken);

    /// <summary>
    /// The <paramref name="topK"/> chunks most similar to <paramref name="query"/> (a unit vector of
    /// <paramref name="modelId"/>), best first; with tags, only chunks of documents that carry all of them.
    /// </summary>
    Task<IReadOnlyList<VectorHit>> SearchAsync(string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken);
}

/// <summary>A chunk's vector.</summary>
public sealed record ChunkVector(int ChunkIndex, float[] Vector);

/// <summary>A chunk found by the vector index, with its cosine similarity.</summary>
public sealed record VectorHit(string DocumentId, int ChunkIndex, float Score);
