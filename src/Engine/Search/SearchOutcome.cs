namespace Rag.Engine.Search;

/// <summary>The mode that ran and its results, best first; the question's vector when the encoder embedded it.</summary>
public sealed record SearchOutcome(SearchMode Mode, IReadOnlyList<SearchResult> Results, float[]? QueryVector = null);
