namespace Rag.Client;

/// <summary>The compressed prompt and its figures.</summary>
public sealed record RagCompressResponse(
    string CompressedPrompt,
    int OriginTokens,
    int CompressedTokens,
    double Ratio,
    double Rate,
    bool BudgetMet,
    string Method,
    IReadOnlyList<RagKeptSpan> KeptSpans,
    int CacheHits,
    int CacheMisses,
    double ElapsedMs,
    string? Note);
