namespace Rag.Engine.Models;

/// <summary>How to generate.</summary>
/// <param name="MaxTokens">Most tokens to generate.</param>
/// <param name="Temperature">0 (the default) decodes greedily; above 0 samples from the softened distribution.</param>
/// <param name="TopP">Nucleus sampling: sample only among the most likely tokens whose probabilities add up to this.</param>
/// <param name="Seed">Makes sampling repeatable; without it every call samples differently.</param>
/// <param name="Stop">Generation ends before the first occurrence of any of these; the stop text is not returned.</param>
public sealed record GenerationOptions(
    int MaxTokens = 256,
    float Temperature = 0,
    float TopP = 1,
    int? Seed = null,
    IReadOnlyList<string>? Stop = null);
