namespace Rag.Retrieval.Lexical;

/// <summary>A chunk matched by the lexical index, with its BM25 score.</summary>
public sealed record LexicalHit(string DocumentId, int ChunkIndex, float Score);
