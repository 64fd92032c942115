namespace Rag.Api.Payloads;

/// <summary>The collections the caller's key may use that hold at least one document.</summary>
public sealed record CollectionListResponse(IReadOnlyList<string> Collections);
