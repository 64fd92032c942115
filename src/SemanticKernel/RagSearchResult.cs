namespace Rag.SemanticKernel;

/// <summary>A passage found by search: its document, chunk, text and score, the heading path, the document's title, and its span of the document's parsed text.</summary>
public sealed record RagSearchResult(string DocumentId, string ChunkId, string Text, double Score, string? Section, string? Title = null, int Start = 0, int End = 0);
