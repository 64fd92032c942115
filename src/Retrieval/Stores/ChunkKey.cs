using System.Globalization;

namespace Rag.Retrieval.Stores;

/// <summary>Chunk ids: the document id and the chunk's index, joined by a colon.</summary>
public static class ChunkKey
{
    /// <summary>Formats a chunk id.</summary>
    public static string Format(string documentId, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{documentId}:{index}");

    /// <summary>Parses a chunk id written by <see cref="Format"/>.</summary>
    public static bool TryParse(string chunkId, out string documentId, out int index)
    {
        ArgumentNullException.ThrowIfNull(chunkId);
        var colon = chunkId.LastIndexOf(':');
        documentId = colon > 0 ? chunkId[..colon] : "";
        index = -1;
        return colon > 0 && int.TryParse(chunkId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
