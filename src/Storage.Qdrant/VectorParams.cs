namespace Rag.Storage.Qdrant;

/// <summary>A dense vector space of a collection; with <paramref name="MultivectorConfig"/>, each point holds several vectors.</summary>
public sealed record VectorParams(int Size, string Distance = "Cosine", MultiVectorConfig? MultivectorConfig = null);
