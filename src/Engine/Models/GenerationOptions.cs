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

/// <summary>A piece of generated text; the last one of a generation has <see cref="FinishReason"/> and <see cref="Stats"/>.</summary>
/// <param name="Text">New text since the previous chunk (may be empty).</param>
/// <param name="FinishReason">"stop" (end of sequence or a stop sequence), "length" (max tokens or the model's context) on the last chunk.</param>
/// <param name="Stats">Token counts and timings, on the last chunk.</param>
public sealed record GenerationChunk(string Text, string? FinishReason = null, GenerationStats? Stats = null);

/// <summary>Figures of one generation.</summary>
public sealed record GenerationStats(int PromptTokens, int GeneratedTokens, double PrefillMs, double DecodeMs);
