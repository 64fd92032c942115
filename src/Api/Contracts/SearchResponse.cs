using Rag.Engine.Search;

namespace Rag.Api.Contracts;

/// <summary>Search results, best first.</summary>
public sealed record SearchResponse(IReadOnlyList<SearchResult> Results, double TookMs);
