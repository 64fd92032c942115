namespace Rag.Engine.Answers;

/// <summary>Compression of the retrieved context before the answer. Without rate or target, the target is <see cref="AskQuery.BudgetTokens"/> of context plus the question.</summary>
public sealed record AskCompression(
    Rag.Compression.CompressionMethod Method, double? Rate = null, int? TargetTokens = null, Rag.Compression.Extractive.RankMethod? RankMethod = null,
    int KeepFirstSentence = 0, int KeepLastSentence = 0);
