using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Stores;

/// <summary>A chunk with the document it belongs to.</summary>
public sealed record StoredChunk(string Collection, string DocumentId, TextChunk Chunk)
{
    /// <summary>The chunk's id in the API: <c>{documentId}:{index}</c>.</summary>
    public string ChunkId => Ref.ToString();

    /// <summary>The chunk's document and index.</summary>
    public ChunkRef Ref => new(DocumentId, Chunk.Index);
}
