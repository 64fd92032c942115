namespace Rag.Retrieval.Vectors;

/// <summary>A chunk found by the vector index, with its cosine similarity.</summary>
public sealed record VectorHit(string DocumentId, int ChunkIndex, float Score);
