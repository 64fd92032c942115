namespace Rag.Compression;

/// <summary>The compressed prompt and its figures (field names after LLMLingua's compress_prompt).</summary>
/// <param name="CompressedPrompt">Instruction, compressed context and question, joined by blank lines.</param>
/// <param name="OriginTokens">Tokens of the uncompressed prompt (instruction, context, question).</param>
/// <param name="CompressedTokens">Tokens of <paramref name="CompressedPrompt"/>.</param>
/// <param name="Ratio">OriginTokens / CompressedTokens.</param>
/// <param name="Rate">CompressedTokens / OriginTokens.</param>
/// <param name="TargetTokens">The size asked for.</param>
/// <param name="BudgetMet">True when the result is within 5% of the target (false only when the protected parts alone exceed it).</param>
/// <param name="Method">The method that ran (auto resolved).</param>
/// <param name="KeptSpans">What survived, as offsets into the input.</param>
/// <param name="CacheHits">Segments whose scores came from the cache.</param>
/// <param name="CacheMisses">Segments scored by the model.</param>
/// <param name="ElapsedMs">Time spent compressing.</param>
/// <param name="Note">Anything the caller should know.</param>
public sealed record CompressionResult(
    string CompressedPrompt,
    int OriginTokens,
    int CompressedTokens,
    double Ratio,
    double Rate,
    int TargetTokens,
    bool BudgetMet,
    CompressionMethod Method,
    IReadOnlyList<KeptSpan> KeptSpans,
    int CacheHits,
    int CacheMisses,
    double ElapsedMs,
    string? Note);
