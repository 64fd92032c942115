namespace Rag.Client;

/// <summary>Search results, best first, and the retrieval that ran.</summary>
public sealed record RagSearchResponse(IReadOnlyList<RagSearchHit> Results, string Mode, double TookMs);
