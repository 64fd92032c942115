namespace Rag.Retrieval.Vectors;

/// <summary>A chunk's vector, and its units' vectors when they were computed.</summary>
public sealed record ChunkVector(int ChunkIndex, float[] Vector, IReadOnlyList<UnitVector>? Units = null);
