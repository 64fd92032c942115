using Rag.Engine.Search;

namespace Rag.Engine.Answers;

/// <summary>A question to a collection.</summary>
/// <param name="Question">The question.</param>
/// <param name="TopK">Chunks retrieved as context.</param>
/// <param name="BudgetTokens">Most tokens (cl100k) of context the answer may use.</param>
/// <param name="Tags">Only documents carrying all these tags.</param>
/// <param name="Mode">Retrieval mode; null picks the default (<see cref="SearchService.DefaultMode"/>).</param>
/// <param name="Generation">Overrides of the configured generation settings; ignored without a decoder.</param>
/// <param name="Compression">Compress the retrieved context before answering; null or method none: no compression.</param>
public sealed record AskQuery(
    string Question,
    int TopK,
    int BudgetTokens,
    IReadOnlyList<string> Tags,
    SearchMode? Mode = null,
    GenerationRequest? Generation = null,
    AskCompression? Compression = null);

/// <summary>Compression of the retrieved context before the answer. Without rate or target, the target is <see cref="AskQuery.BudgetTokens"/> of context plus the question.</summary>
public sealed record AskCompression(
    Rag.Compression.CompressionMethod Method, double? Rate = null, int? TargetTokens = null, Rag.Compression.Extractive.RankMethod? RankMethod = null,
    int KeepFirstSentence = 0, int KeepLastSentence = 0);

/// <summary>Per-request generation settings; null keeps the configured value.</summary>
public sealed record GenerationRequest(int? MaxTokens = null, float? Temperature = null, float? TopP = null, int? Seed = null, IReadOnlyList<string>? Stop = null);
