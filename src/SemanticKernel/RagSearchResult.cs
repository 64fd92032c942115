namespace Rag.SemanticKernel;

/// <summary>A passage found by search.</summary>
public sealed record RagSearchResult(string DocumentId, string ChunkId, string Text, double Score, string? Section);
