using System.Text.Json;

namespace Rag.Client;

/// <summary>A question (<c>POST /v1/collections/{c}/ask</c>); unset fields take the service's defaults.</summary>
public sealed record RagAskRequest(
    string Question,
    int? TopK = null,
    int? BudgetTokens = null,
    IReadOnlyList<string>? Tags = null,
    string? Mode = null,
    int? MaxTokens = null,
    RagAskCompression? Compression = null);

/// <summary>Compression of the retrieved context before answering.</summary>
public sealed record RagAskCompression(string? Method = null, double? Rate = null, int? TargetToken = null);

/// <summary>An answer: text with [n] markers, how it was made, and the numbered sources.</summary>
public sealed record RagAnswer(string Answer, string Mode, string? Note, IReadOnlyList<RagCitation> Citations, JsonElement Figures, string? CompressedPrompt = null);

/// <summary>A source of an answer: <c>text[Start..End] == Quote</c> in the document's parsed text.</summary>
public sealed record RagCitation(int Number, string DocumentId, string ChunkId, int Start, int End, string Quote, double Score);

/// <summary>A search (<c>POST /v1/collections/{c}/search</c>).</summary>
public sealed record RagSearchRequest(string Query, int? TopK = null, IReadOnlyList<string>? Tags = null, string? Mode = null);

/// <summary>Search results, best first, and the retrieval that ran.</summary>
public sealed record RagSearchResponse(IReadOnlyList<RagSearchHit> Results, string Mode, double TookMs);

/// <summary>A chunk found by search, with its span in the document's parsed text.</summary>
public sealed record RagSearchHit(string DocumentId, string ChunkId, string Text, double Score, int Start, int End, int TokenCount, string? Section);

/// <summary>A prompt to compress (<c>POST /v1/compress</c>; LLMLingua's field names).</summary>
public sealed record RagCompressRequest(
    IReadOnlyList<string> Context,
    string? Instruction = null,
    string? Question = null,
    double? Rate = null,
    int? TargetToken = null,
    string? Method = null,
    string? ContentType = null);

/// <summary>The compressed prompt and its figures.</summary>
public sealed record RagCompressResponse(
    string CompressedPrompt,
    int OriginTokens,
    int CompressedTokens,
    double Ratio,
    double Rate,
    bool BudgetMet,
    string Method,
    IReadOnlyList<RagKeptSpan> KeptSpans,
    int CacheHits,
    int CacheMisses,
    double ElapsedMs,
    string? Note);

/// <summary>A kept piece of the input: context item and character offsets into it.</summary>
public sealed record RagKeptSpan(int Context, int Start, int End);

/// <summary>A text document to ingest.</summary>
public sealed record RagTextDocument(string Text, string? Title = null, IReadOnlyList<string>? Tags = null, string? FileName = null);

/// <summary>A document and where its ingestion stands (<c>queued</c>, <c>parsing</c>, <c>indexing</c>, <c>ready</c>, <c>failed</c>).</summary>
public sealed record RagDocument(string Id, string Collection, string? Title, string State, double Progress, string? Error, int ChunkCount, string StatusUrl, bool Duplicate);
