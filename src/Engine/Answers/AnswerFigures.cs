namespace Rag.Engine.Answers;

/// <summary>What an answer cost: tokens in and out of the context step, and time per stage.</summary>
/// <param name="TokensRetrieved">Tokens in the retrieved chunks.</param>
/// <param name="TokensReturned">Tokens of context kept for the answer.</param>
/// <param name="Ratio">TokensRetrieved / TokensReturned (0 when nothing was kept).</param>
/// <param name="ChunksRetrieved">Chunks retrieved.</param>
/// <param name="TimingsMs">Milliseconds per stage: retrieve; compress when compression was asked for; select when sentences were picked (an extractive answer, or no compressed sources); prefill and decode with a decoder; total.</param>
/// <param name="SearchMode">The retrieval that ran: lexical, dense or hybrid.</param>
/// <param name="Generation">Decoder figures, for generated answers.</param>
/// <param name="Compression">Compression figures, when compression was asked for.</param>
public sealed record AnswerFigures(
    int TokensRetrieved,
    int TokensReturned,
    double Ratio,
    int ChunksRetrieved,
    IReadOnlyDictionary<string, double> TimingsMs,
    string SearchMode,
    GenerationFigures? Generation = null,
    CompressionFigures? Compression = null);
