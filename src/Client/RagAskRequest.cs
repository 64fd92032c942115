namespace Rag.Client;

/// <summary>A question (<c>POST /v1/collections/{c}/ask</c>); unset fields take the service's defaults.</summary>
/// <remarks>The service's <c>stream</c> is not here: this client reads whole answers.</remarks>
public sealed record RagAskRequest(
    string Question,
    int? TopK = null,
    int? BudgetTokens = null,
    IReadOnlyList<string>? Tags = null,
    string? Mode = null,
    int? MaxTokens = null,
    RagAskCompression? Compression = null,
    float? Temperature = null,
    float? TopP = null,
    int? Seed = null,
    IReadOnlyList<string>? Stop = null);
