using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Stores;

/// <summary>A document's parsed text and its chunks, to be written together.</summary>
/// <param name="DocumentId">The document.</param>
/// <param name="Text">The parsed text chunk spans point into.</param>
/// <param name="Chunks">The chunks, replacing any the document had.</param>
public sealed record ParsedChunks(string DocumentId, string Text, IReadOnlyList<TextChunk> Chunks);
