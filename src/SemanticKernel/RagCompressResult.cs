namespace Rag.SemanticKernel;

/// <summary>A compressed text and how much smaller it is.</summary>
public sealed record RagCompressResult(string CompressedText, int OriginTokens, int CompressedTokens, double Ratio, string Method);
