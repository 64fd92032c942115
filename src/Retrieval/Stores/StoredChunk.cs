using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Stores;

/// <summary>A chunk with the document it belongs to.</summary>
public sealed record StoredChunk(string Collection, string DocumentId, TextChunk Chunk)
{
    /// <summary>The chunk's id in the API: <c>{documentId}:{index}</c>.</summary>
    public string ChunkId => ChunkKey.Format(DocumentId, Chunk.Index);
}
