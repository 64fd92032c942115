namespace Rag.Client;

/// <summary>A search (<c>POST /v1/collections/{c}/search</c>).</summary>
public sealed record RagSearchRequest(string Query, int? TopK = null, IReadOnlyList<string>? Tags = null, string? Mode = null);
