namespace Rag.Api.Payloads;

/// <summary>Compression options of an ask.</summary>
/// <param name="Method">auto (default), none, coarse_to_fine, segment, longcodezip, gemfilter, truncate, random.</param>
/// <param name="Rate">Kept fraction, above 0 and at most 1.</param>
/// <param name="TargetToken">Tokens the compressed context and question should have (default: budget_tokens plus the question).</param>
/// <param name="RankMethod">How coarse_to_fine ranks sentences: hybrid (default with an encoder), bm25, dense, longllmlingua.</param>
/// <param name="KeepFirstSentence">coarse_to_fine keeps the first this many sentences of every retrieved chunk first (0-100, default 0).</param>
/// <param name="KeepLastSentence">coarse_to_fine keeps the last this many sentences of every retrieved chunk first (0-100, default 0).</param>
public sealed record AskCompressionRequest(
    Rag.Compression.CompressionMethod? Method = null, double? Rate = null, int? TargetToken = null, Rag.Compression.Extractive.RankMethod? RankMethod = null,
    int? KeepFirstSentence = null, int? KeepLastSentence = null);
