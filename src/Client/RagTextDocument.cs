namespace Rag.Client;

/// <summary>A text document to ingest.</summary>
public sealed record RagTextDocument(string Text, string? Title = null, IReadOnlyList<string>? Tags = null, string? FileName = null, string? ContentType = null);
