namespace Rag.Client;

/// <summary>A chunk found by search, with its span in the document's parsed text.</summary>
public sealed record RagSearchHit(string DocumentId, string ChunkId, string Text, double Score, int Start, int End, int TokenCount, string? Section);
