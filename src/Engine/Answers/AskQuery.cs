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
/// <param name="Scope">Who asks (one tenant): the scope its query vector is kept in for a repeat; null keeps none.</param>
public sealed record AskQuery(
    string Question,
    int TopK,
    int BudgetTokens,
    IReadOnlyList<string> Tags,
    SearchMode? Mode = null,
    GenerationRequest? Generation = null,
    AskCompression? Compression = null,
    string? Scope = null);
