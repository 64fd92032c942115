using System.Text.Json.Serialization;

namespace Rag.Compression;

/// <summary>How to compress.</summary>
/// <remarks>Each method has one wire name (<see cref="CompressionMethodNames.WireName"/>), used in requests, responses and messages.</remarks>
public enum CompressionMethod
{
    /// <summary>Code → longcodezip; text with a question → coarse-to-fine (hybrid); text without one → segment.</summary>
    [JsonStringEnumMemberName("auto")]
    Auto,

    /// <summary>Pass through.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Per-segment token pruning by surprisal (CompLLM-style segments, cached), with LongLLMLingua-style ranking of contexts by the question.</summary>
    [JsonStringEnumMemberName("segment")]
    Segment,

    /// <summary>LongCodeZip: functions ranked by how much they explain the question, then perplexity blocks under a knapsack.</summary>
    [JsonStringEnumMemberName("longcodezip")]
    LongCodeZip,

    /// <summary>GemFilter: early-layer attention of the question's last token picks what to keep.</summary>
    [JsonStringEnumMemberName("gemfilter")]
    GemFilter,

    /// <summary>Question-aware coarse-to-fine (after LongLLMLingua): sentences ranked by <see cref="CompressionRequest.RankMethod"/>, the best kept whole in order.</summary>
    [JsonStringEnumMemberName("coarse_to_fine")]
    CoarseToFine,

    /// <summary>Baseline: keep the start.</summary>
    [JsonStringEnumMemberName("truncate")]
    Truncate,

    /// <summary>Baseline: drop words at random (seeded).</summary>
    [JsonStringEnumMemberName("random")]
    Random,
}

/// <summary>A request to compress a prompt. The instruction and question are never compressed.</summary>
/// <param name="Context">The context, one string per document or chunk. May carry &lt;keep&gt;...&lt;/keep&gt; markup.</param>
/// <param name="Instruction">Goes first, intact.</param>
/// <param name="Question">Goes last, intact; query-aware methods use it.</param>
/// <param name="Rate">Kept fraction of the prompt's tokens, (0, 1]. Ignored when <paramref name="TargetTokens"/> is set.</param>
/// <param name="TargetTokens">Tokens the compressed prompt should have.</param>
/// <param name="Method">The method.</param>
/// <param name="ContentType">"text", "code", or a language (python, csharp, javascript, typescript, java, go, c, cpp); null: detected.</param>
/// <param name="ProtectedSpans">Ranges of context items that must survive whole, in the original text's offsets.</param>
/// <param name="RankMethod">How coarse-to-fine ranks sentences: hybrid (default with an encoder), bm25 or dense.</param>
/// <param name="Scope">The tenant the request is made for (an API key, a collection): cached work is shared only within one scope.</param>
/// <param name="KeepFirstSentence">Coarse-to-fine keeps the first this many sentences of every context before any other (LLMLingua's keep_first_sentence).</param>
/// <param name="KeepLastSentence">Coarse-to-fine keeps the last this many sentences of every context before any other (LLMLingua's keep_last_sentence).</param>
/// <param name="ContextTokens">Tokens of each context item in the budget tokenizer, when the caller already counted them (chunks, at ingestion): the
/// compressor then estimates its units from them and measures only what it keeps. origin_tokens becomes their sum plus the instruction, question and separators.</param>
/// <param name="KeepMarkup">Whether <c>&lt;keep&gt;...&lt;/keep&gt;</c> in the context protects what it wraps (text the caller sends) or is plain text (retrieved documents).</param>
public sealed record CompressionRequest(
    IReadOnlyList<string> Context,
    string? Instruction = null,
    string? Question = null,
    double? Rate = null,
    int? TargetTokens = null,
    CompressionMethod Method = CompressionMethod.Auto,
    string? ContentType = null,
    IReadOnlyList<ProtectedSpan>? ProtectedSpans = null,
    bool KeepMarkup = true,
    Rag.Compression.Extractive.RankMethod? RankMethod = null,
    string? Scope = null,
    int KeepFirstSentence = 0,
    int KeepLastSentence = 0,
    IReadOnlyList<int>? ContextTokens = null);

/// <summary>A range of context item <see cref="Context"/> to keep whole.</summary>
public sealed record ProtectedSpan(int Context, int Start, int End);

/// <summary>A kept piece of the input: context item and character offsets into it as given (end exclusive).</summary>
public sealed record KeptSpan(int Context, int Start, int End);

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

/// <summary>A request the compressor cannot run, naming the request field at fault.</summary>
public sealed class CompressionRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
