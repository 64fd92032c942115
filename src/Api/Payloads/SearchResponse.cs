using Rag.Engine.Search;

namespace Rag.Api.Payloads;

/// <summary>Search results, best first.</summary>
/// <param name="Results">The chunks found. Scores: BM25 (lexical), cosine similarity (dense) or fused reciprocal rank (hybrid).</param>
/// <param name="Mode">The retrieval that ran.</param>
/// <param name="TookMs">Milliseconds.</param>
public sealed record SearchResponse(IReadOnlyList<SearchResult> Results, SearchMode Mode, double TookMs);
