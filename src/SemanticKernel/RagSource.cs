namespace Rag.SemanticKernel;

/// <summary>A numbered source: the quoted text and where it is.</summary>
public sealed record RagSource(int Number, string DocumentId, string ChunkId, string Quote);
