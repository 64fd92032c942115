namespace Rag.Engine.Answers;

/// <summary>Per-request generation settings; null keeps the configured value.</summary>
public sealed record GenerationRequest(int? MaxTokens = null, float? Temperature = null, float? TopP = null, int? Seed = null, IReadOnlyList<string>? Stop = null);
