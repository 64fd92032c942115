namespace Rag.Api.Payloads;

/// <summary>A chunk of a document: <c>content[start..end] == text</c>.</summary>
public sealed record ChunkResponse(string ChunkId, int Index, int Start, int End, int TokenCount, string? Section, string Text);
