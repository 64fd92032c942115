namespace Rag.Engine.Answers;

/// <summary>What compression did for an answer (the same figures as /v1/compress).</summary>
public sealed record CompressionFigures(string Method, int OriginTokens, int CompressedTokens, double Ratio, bool BudgetMet, int CacheHits, int CacheMisses);
