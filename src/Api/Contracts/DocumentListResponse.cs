namespace Rag.Api.Contracts;

/// <summary>A page of documents; pass <see cref="NextAfter"/> as <c>after</c> for the next page.</summary>
public sealed record DocumentListResponse(IReadOnlyList<DocumentResponse> Documents, string? NextAfter);
