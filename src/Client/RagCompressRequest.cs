namespace Rag.Client;

/// <summary>A prompt to compress (<c>POST /v1/compress</c>; LLMLingua's field names).</summary>
public sealed record RagCompressRequest(
    IReadOnlyList<string> Context,
    string? Instruction = null,
    string? Question = null,
    double? Rate = null,
    int? TargetToken = null,
    string? Method = null,
    string? ContentType = null,
    IReadOnlyList<RagProtectedSpan>? ProtectedSpans = null,
    string? RankMethod = null,
    int? KeepFirstSentence = null,
    int? KeepLastSentence = null);
