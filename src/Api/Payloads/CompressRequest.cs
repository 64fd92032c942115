using System.Text.Json;
using Rag.Compression;
using Rag.Text.Code;

namespace Rag.Api.Payloads;

/// <summary>A prompt to compress (field names after LLMLingua's compress_prompt).</summary>
/// <param name="Context">A string or a list of strings (documents, chunks). May carry &lt;keep&gt;...&lt;/keep&gt; markup.</param>
/// <param name="Instruction">Put first, never compressed.</param>
/// <param name="Question">Put last, never compressed; query-aware methods rank the context by it.</param>
/// <param name="Rate">Kept fraction of the prompt's tokens, above 0 and at most 1 (default 0.5).</param>
/// <param name="TargetToken">Tokens the compressed prompt should have; wins over rate.</param>
/// <param name="Method">auto (default), none, coarse_to_fine, segment, longcodezip, gemfilter, truncate, random.</param>
/// <param name="RankMethod">How coarse_to_fine ranks sentences (LongLLMLingua's rank_method): hybrid (default with an encoder), bm25, dense, longllmlingua (the scorer's question likelihood).</param>
/// <param name="KeepFirstSentence">coarse_to_fine keeps the first this many sentences of every context item first (LLMLingua's keep_first_sentence; 0-100, default 0).</param>
/// <param name="KeepLastSentence">coarse_to_fine keeps the last this many sentences of every context item first (LLMLingua's keep_last_sentence; 0-100, default 0).</param>
/// <param name="ContentType">text, code, or a language (python, csharp, java, javascript, typescript, go, c, cpp, kotlin, scala, rust, swift, php: CodeLanguages); default: detected.</param>
/// <param name="ProtectedSpans">Ranges to keep whole: {"context": item index, "start", "end"} in the item's characters.</param>
public sealed record CompressRequest(
    JsonElement? Context,
    string? Instruction = null,
    string? Question = null,
    double? Rate = null,
    int? TargetToken = null,
    CompressionMethod? Method = null,
    string? ContentType = null,
    IList<ProtectedSpan>? ProtectedSpans = null,
    Rag.Compression.Extractive.RankMethod? RankMethod = null,
    int? KeepFirstSentence = null,
    int? KeepLastSentence = null);
