using System.Data.Common;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Stores;

namespace Rag.Storage.Sql;

/// <summary>Rows of the document stores, read the same way by the SQLite and PostgreSQL adapters.</summary>
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

    /// <summary>
    /// Counts of a batch's documents by state, with their bytes, progress and (ready ones) chunk tokens; parameters
    /// <c>collection</c> and <c>batch</c>, written <c>{0}collection</c> and <c>{0}batch</c> with the store's prefix.
    /// </summary>
    public const string BatchQuery = """
        SELECT d.state, COUNT(*), SUM(d.size_bytes), SUM(d.progress),
               SUM(CASE WHEN d.state = 'Ready'
                        THEN (SELECT COALESCE(SUM(c.token_count), 0) FROM chunks c WHERE c.collection = d.collection AND c.document_id = d.id)
                        ELSE 0 END)
        FROM batch_documents b JOIN documents d ON d.collection = b.collection AND d.id = b.document_id
        WHERE b.collection = {0}collection AND b.batch_id = {0}batch
        GROUP BY d.state
        """;

    /// <summary>The batch's documents not ready or failed; parameters as in <see cref="BatchQuery"/>.</summary>
    public const string BatchUnfinishedQuery = """
        SELECT d.id FROM batch_documents b JOIN documents d ON d.collection = b.collection AND d.id = b.document_id
        WHERE b.collection = {0}collection AND b.batch_id = {0}batch AND d.state NOT IN ('Ready', 'Failed')
        """;

    /// <summary>A batch's summary from the rows of <see cref="BatchQuery"/>, or null when it has no document.</summary>
    /// <param name="command">The query, parameters set.</param>
    /// <param name="cancellationToken">Stops the query.</param>
    public static async Task<BatchSummary?> ReadBatchAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = await ReadAllAsync(command, reader => (
            State: Enum.Parse<DocumentState>(reader.GetString(0)),
            Count: Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
            Bytes: Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
            Progress: Convert.ToDouble(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
            Tokens: Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        if (rows.Count == 0)
            return null;
        int Count(params DocumentState[] states) => rows.Where(r => states.Contains(r.State)).Sum(r => r.Count);
        var documents = rows.Sum(r => r.Count);
        return new BatchSummary(
            documents,
            Count(DocumentState.Queued),
            Count(DocumentState.Parsing, DocumentState.Indexing),
            Count(DocumentState.Ready),
            Count(DocumentState.Failed),
            rows.Sum(r => r.Bytes),
            rows.Where(r => r.State is DocumentState.Ready or DocumentState.Failed).Sum(r => r.Bytes),
            Math.Round(rows.Sum(r => r.Progress) / documents, 3),
            rows.Sum(r => r.Tokens));
    }

    /// <summary>The columns <see cref="Chunk"/> reads, in order.</summary>
    public const string ChunkColumns = "idx, start, length, text, token_count, section";

    /// <summary>A chunk from the <see cref="ChunkColumns"/> starting at <paramref name="offset"/>.</summary>
    public static TextChunk Chunk(DbDataReader reader, int offset) => new(
        Index: reader.GetInt32(offset),
        Start: reader.GetInt32(offset + 1),
        End: reader.GetInt32(offset + 1) + reader.GetInt32(offset + 2),
        Text: reader.GetString(offset + 3),
        TokenCount: reader.GetInt32(offset + 4),
        Section: reader.IsDBNull(offset + 5) ? null : reader.GetString(offset + 5));

    /// <summary>Every row <paramref name="command"/> returns, read by <paramref name="read"/>.</summary>
    /// <param name="command">The query, parameters set.</param>
    /// <param name="read">Reads the current row.</param>
    /// <param name="cancellationToken">Stops the query.</param>
    public static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(read);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(read(reader));
        return rows;
    }

    /// <summary>
    /// The chunks found for <paramref name="keys"/>, in the keys' order (a key not found is left out), from rows of
    /// document_id followed by the <see cref="Chunk"/> columns.
    /// </summary>
    /// <param name="command">The query, parameters set.</param>
    /// <param name="collection">The collection asked.</param>
    /// <param name="keys">The chunks asked for.</param>
    /// <param name="cancellationToken">Stops the query.</param>
    public static async Task<IReadOnlyList<StoredChunk>> ReadChunksInKeyOrderAsync(
        DbCommand command, string collection, IReadOnlyList<ChunkRef> keys, CancellationToken cancellationToken)
    {
        var rows = await ReadAllAsync(command, r => new StoredChunk(collection, r.GetString(0), Chunk(r, 1)), cancellationToken);
        var found = rows.ToDictionary(c => new ChunkRef(c.DocumentId, c.Chunk.Index));
        return [.. keys.Where(found.ContainsKey).Select(k => found[k])];
    }
}
