namespace Rag.Engine.Search;

/// <summary>A chunk found by search, with its document's title (null when the document has none).</summary>
public sealed record SearchResult(
    string DocumentId,
    string ChunkId,
    string Text,
    double Score,
    int Start,
    int End,
    int TokenCount,
    string? Section,
    string? Title = null);
