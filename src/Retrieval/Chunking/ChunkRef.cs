using System.Globalization;

namespace Rag.Retrieval.Chunking;

/// <summary>
/// A chunk by its document and index. Its id in the API is <c>{documentId}:{index}</c> (<see cref="ToString"/>,
/// <see cref="TryParse"/>).
/// </summary>
public readonly record struct ChunkRef(string DocumentId, int Index)
{
    /// <summary>The chunk's id: the document id and the index, joined by a colon.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DocumentId}:{Index}");

    /// <summary>Parses a chunk id written by <see cref="ToString"/>.</summary>
    public static bool TryParse(string chunkId, out ChunkRef chunk)
    {
        ArgumentNullException.ThrowIfNull(chunkId);
        var colon = chunkId.LastIndexOf(':');
        chunk = default;
        if (colon <= 0 || !int.TryParse(chunkId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return false;
        chunk = new ChunkRef(chunkId[..colon], index);
        return true;
    }
}
