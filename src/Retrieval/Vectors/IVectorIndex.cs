namespace Rag.Retrieval.Vectors;

/// <summary>Chunk vectors, partitioned by collection, searched by cosine similarity.</summary>
public interface IVectorIndex
{
    /// <summary>Replaces the document's vectors with <paramref name="vectors"/> and makes them durable and searchable.</summary>
    Task UpsertAsync(string collection, string documentId, IReadOnlyList<string> tags, string modelId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken);

    /// <summary>Removes every vector of the document.</summary>
    Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken);

    /// <summary>True when the document has vectors made by <paramref name="modelId"/>.</summary>
    bool Contains(string collection, string documentId, string modelId);

    /// <summary>
    /// The <paramref name="topK"/> chunks most similar to <paramref name="query"/> (a unit vector of
    /// <paramref name="modelId"/>), best first; with tags, only chunks of documents that carry all of them.
    /// </summary>
    IReadOnlyList<VectorHit> Search(string collection, ReadOnlySpan<float> query, string modelId, int topK, IReadOnlyList<string>? tags);
}

/// <summary>A chunk's vector.</summary>
public sealed record ChunkVector(int ChunkIndex, float[] Vector);

/// <summary>A chunk found by the vector index, with its cosine similarity.</summary>
public sealed record VectorHit(string DocumentId, int ChunkIndex, float Score);
