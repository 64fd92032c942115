namespace Rag.Client;

/// <summary>A document and where its ingestion stands (<c>queued</c>, <c>parsing</c>, <c>indexing</c>, <c>ready</c>, <c>failed</c>).</summary>
public sealed record RagDocument(string Id, string Collection, string? Title, string State, double Progress, string? Error, int ChunkCount, string StatusUrl, bool Duplicate);
