namespace Rag.Retrieval.Stores;

/// <summary>The parts of Rag's storage an adapter is asked to provide (the host reads the choice from <c>Rag:Storage</c>).</summary>
[Flags]
public enum StorageParts
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Documents with their content, text and chunks (<see cref="IDocumentStore"/>), the lexical index, and the document locks.</summary>
    Documents = 1,

    /// <summary>Chunk and unit vectors (<see cref="Vectors.IVectorIndex"/>).</summary>
    Vectors = 2,

    /// <summary>Compressed segments kept for reuse (<c>ISegmentCache</c>).</summary>
    SegmentCache = 4,
}
