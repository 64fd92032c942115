namespace Rag.Engine.Answers;

/// <summary>What an answer cost: tokens in and out of the context step, and time per stage.</summary>
/// <param name="TokensRetrieved">Tokens in the retrieved chunks.</param>
/// <param name="TokensReturned">Tokens of context kept for the answer.</param>
/// <param name="Ratio">TokensRetrieved / TokensReturned (0 when nothing was kept).</param>
/// <param name="ChunksRetrieved">Chunks retrieved.</param>
/// <param name="TimingsMs">Milliseconds per stage (retrieve, select, total).</param>
public sealed record AnswerFigures(
    int TokensRetrieved,
    int TokensReturned,
    double Ratio,
    int ChunksRetrieved,
    IReadOnlyDictionary<string, double> TimingsMs);
