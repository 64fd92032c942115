using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Lexical;

/// <summary>One document's entries for the lexical index: its id, its tags and its chunks.</summary>
/// <param name="DocumentId">The document.</param>
/// <param name="Tags">The tags searches filter by.</param>
/// <param name="Chunks">The chunks to index, replacing any the document had.</param>
public sealed record LexicalDocument(string DocumentId, IReadOnlyList<string> Tags, IReadOnlyList<TextChunk> Chunks);
