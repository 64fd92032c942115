using System.Data.Common;
using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Stores;

/// <summary>Rows of the document stores, read the same way from SQLite and PostgreSQL.</summary>
internal static class StoreRows
{
    /// <summary>The columns <see cref="Document"/> reads, in order.</summary>
    public const string DocumentColumns =
        "collection, id, content_hash, title, file_name, kind, tags, size_bytes, state, progress, error, chunk_count, created_at, updated_at";

    /// <summary>
    /// A document from a row of <see cref="DocumentColumns"/>; tags (6) and the timestamps (12, 13) are
    /// stored differently by each store, so the caller reads them.
    /// </summary>
    public static DocumentRecord Document(DbDataReader reader, IReadOnlyList<string> tags, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new(
        Collection: reader.GetString(0),
        Id: reader.GetString(1),
        ContentHash: reader.GetString(2),
        Title: reader.IsDBNull(3) ? null : reader.GetString(3),
        FileName: reader.IsDBNull(4) ? null : reader.GetString(4),
        Kind: reader.GetString(5),
        Tags: tags,
        SizeBytes: reader.GetInt64(7),
        State: Enum.Parse<DocumentState>(reader.GetString(8)),
        Progress: reader.GetDouble(9),
        Error: reader.IsDBNull(10) ? null : reader.GetString(10),
        ChunkCount: reader.GetInt32(11),
        CreatedAt: createdAt,
        UpdatedAt: updatedAt);

    /// <summary>A chunk from the columns idx, start, length, text, token_count, section starting at <paramref name="offset"/>.</summary>
    public static TextChunk Chunk(DbDataReader reader, int offset) => new(
        Index: reader.GetInt32(offset),
        Start: reader.GetInt32(offset + 1),
        Length: reader.GetInt32(offset + 2),
        Text: reader.GetString(offset + 3),
        TokenCount: reader.GetInt32(offset + 4),
        Section: reader.IsDBNull(offset + 5) ? null : reader.GetString(offset + 5));
}
