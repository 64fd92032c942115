namespace Rag.SemanticKernel;

/// <summary>An answer and its numbered sources.</summary>
/// <param name="Answer">The answer; [n] marks the source of each part.</param>
/// <param name="Mode">"generative" (written by the model from the sources) or "extractive" (quoted sentences).</param>
/// <param name="Sources">The sources, numbered as in the answer.</param>
public sealed record RagAskResult(string Answer, string Mode, IReadOnlyList<RagSource> Sources);
