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

/// <summary>What compression did for an answer (the same figures as /v1/compress).</summary>
public sealed record CompressionFigures(string Method, int OriginTokens, int CompressedTokens, double Ratio, bool BudgetMet, int CacheHits, int CacheMisses);

/// <summary>What the decoder did for an answer.</summary>
/// <param name="Model">The decoder's model id.</param>
/// <param name="PromptTokens">Prompt tokens, in the decoder's own tokenizer.</param>
/// <param name="GeneratedTokens">Tokens generated.</param>
/// <param name="FinishReason">"stop" or "length".</param>
/// <param name="SourcesDropped">Sources left out of the prompt because it would not fit the model's context.</param>
public sealed record GenerationFigures(string Model, int PromptTokens, int GeneratedTokens, string FinishReason, int SourcesDropped);

/// <summary>One event of a streamed answer: a piece of text, or (last) the whole result.</summary>
/// <param name="Text">Text to append to the answer so far.</param>
/// <param name="Result">The complete answer with citations and figures, on the last event only.</param>
public sealed record AskEvent(string? Text, AskResult? Result);
