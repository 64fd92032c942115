namespace Rag.Client;

/// <summary>A chunk found by search, with its span in the document's parsed text and the document's title (null when it has none).</summary>
public sealed record RagSearchHit(string DocumentId, string ChunkId, string Text, double Score, int Start, int End, int TokenCount, string? Section, string? Title = null);
