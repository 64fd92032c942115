namespace Rag.Engine.Answers;

/// <summary>An answer with its sources and figures.</summary>
/// <param name="Answer">The answer text; sentences carry their citation number, e.g. "[1]". Empty when nothing relevant was found.</param>
/// <param name="Mode">How the answer was made: <c>extractive</c> (quoted sentences) or, with a model, <c>generative</c>.</param>
/// <param name="Note">Anything the caller should know about how the answer was made.</param>
/// <param name="Citations">The sources, numbered as in the answer.</param>
/// <param name="Figures">Tokens and timings.</param>
/// <param name="CompressedPrompt">With compression asked for: the compressed context and question, for callers who use their own LLM.</param>
public sealed record AskResult(string Answer, string Mode, string? Note, IReadOnlyList<Citation> Citations, AnswerFigures Figures, string? CompressedPrompt = null);
