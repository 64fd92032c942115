namespace Rag.SemanticKernel;

/// <summary>An ingested document and where its ingestion stands.</summary>
public sealed record RagIngestResult(string DocumentId, string Collection, string State, int ChunkCount, string? Error, bool Duplicate);
