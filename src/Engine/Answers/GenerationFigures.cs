namespace Rag.Engine.Answers;

/// <summary>What the decoder did for an answer.</summary>
/// <param name="Model">The decoder's model id.</param>
/// <param name="PromptTokens">Prompt tokens, in the decoder's own tokenizer.</param>
/// <param name="GeneratedTokens">Tokens generated.</param>
/// <param name="FinishReason">"stop" or "length".</param>
/// <param name="SourcesDropped">Sources left out of the prompt because it would not fit the model's context.</param>
public sealed record GenerationFigures(string Model, int PromptTokens, int GeneratedTokens, string FinishReason, int SourcesDropped);
