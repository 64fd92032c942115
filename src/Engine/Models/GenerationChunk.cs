namespace Rag.Engine.Models;

/// <summary>A piece of generated text; the last one of a generation has <see cref="FinishReason"/> and <see cref="Stats"/>.</summary>
/// <param name="Text">New text since the previous chunk (may be empty).</param>
/// <param name="FinishReason">"stop" (end of sequence or a stop sequence), "length" (max tokens or the model's context) on the last chunk.</param>
/// <param name="Stats">Token counts and timings, on the last chunk.</param>
public sealed record GenerationChunk(string Text, string? FinishReason = null, GenerationStats? Stats = null);
