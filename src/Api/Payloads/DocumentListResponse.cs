namespace Rag.Api.Payloads;

/// <summary>A page of documents; pass <see cref="NextAfter"/> as <c>after</c> for the next page.</summary>
public sealed record DocumentListResponse(IReadOnlyList<DocumentResponse> Documents, string? NextAfter);
