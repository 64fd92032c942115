using Rag.Text.Code;
namespace Rag.Compression;

/// <summary>A request to compress a prompt. The instruction and question are never compressed.</summary>
/// <param name="Context">The context, one string per document or chunk. May carry &lt;keep&gt;...&lt;/keep&gt; markup.</param>
/// <param name="Instruction">Goes first, intact.</param>
/// <param name="Question">Goes last, intact; query-aware methods use it.</param>
/// <param name="Rate">Kept fraction of the prompt's tokens, (0, 1]. Ignored when <paramref name="TargetTokens"/> is set.</param>
/// <param name="TargetTokens">Tokens the compressed prompt should have.</param>
/// <param name="Method">The method.</param>
/// <param name="ContentType">"text", "code", or a language of <see cref="Rag.Text.Code.CodeLanguages"/> (python, csharp, java, go, ...); null: detected.</param>
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
    CompressionMethod Method = default,
    string? ContentType = null,
    IReadOnlyList<ProtectedSpan>? ProtectedSpans = null,
    bool KeepMarkup = true,
    Rag.Compression.Extractive.RankMethod? RankMethod = null,
    string? Scope = null,
    int KeepFirstSentence = 0,
    int KeepLastSentence = 0,
    IReadOnlyList<int>? ContextTokens = null);
