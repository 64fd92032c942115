namespace Rag.Client;

/// <summary>Compression of the retrieved context before answering.</summary>
public sealed record RagAskCompression(
    string? Method = null, double? Rate = null, int? TargetToken = null, string? RankMethod = null, int? KeepFirstSentence = null, int? KeepLastSentence = null);
