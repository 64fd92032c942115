namespace Rag.Engine.Models;

/// <summary>Figures of one generation.</summary>
public sealed record GenerationStats(int PromptTokens, int GeneratedTokens, double PrefillMs, double DecodeMs);
