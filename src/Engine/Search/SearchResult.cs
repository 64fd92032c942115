namespace Rag.Engine.Search;

/// <summary>A chunk found by search.</summary>
public sealed record SearchResult(
    string DocumentId,
    string ChunkId,
    string Text,
    double Score,
    int Start,
    int End,
    int TokenCount,
    string? Section);
