using Npgsql;
using NpgsqlTypes;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Stores;
using Rag.Storage.Sql;

namespace Rag.Storage.Postgres;

/// <summary>
/// The server document store: PostgreSQL through one <see cref="NpgsqlDataSource"/> (pooled
/// connections), schema from migrations/. Any number of processes share it; every write is one
/// statement or one transaction, committed before it is acknowledged.
/// </summary>
public sealed class PostgresDocumentStore(NpgsqlDataSource dataSource) : IDocumentStore
{
    private const string DocumentColumns = StoreRows.DocumentColumns;

    /// <summary>
    /// Every document of the batch in one transaction of three statements, whatever its size (documents, then the
    /// new ones' bytes and batch rows), and one query to read them back: a round trip per batch, not per document.
    /// </summary>
    public async Task<IReadOnlyList<AddedDocument>> AddManyAsync(IReadOnlyList<NewDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
            return [];
        var distinct = documents.DistinctBy(d => (d.Collection, d.Id)).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var created = new HashSet<(string Collection, string Id)>();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // ON CONFLICT DO NOTHING: two uploads of the same bytes racing in two processes make one document.
            await using (var insert = new NpgsqlCommand($"""
                INSERT INTO documents ({DocumentColumns})
                SELECT d.collection, d.id, d.hash, d.title, d.file, d.kind, ARRAY(SELECT jsonb_array_elements_text(d.tags::jsonb)),
                       d.size, 'Queued', 0, NULL, 0, now(), now()
                FROM unnest(@collections, @ids, @hashes, @titles, @files, @kinds, @tags, @sizes)
                     WITH ORDINALITY AS d(collection, id, hash, title, file, kind, tags, size, ord)
                ORDER BY d.ord
                ON CONFLICT (collection, id) DO NOTHING
                RETURNING collection, id
                """, connection, transaction))
            {
                insert.Parameters.AddWithValue("collections", distinct.Select(d => d.Collection).ToArray());
                insert.Parameters.AddWithValue("ids", distinct.Select(d => d.Id).ToArray());
                insert.Parameters.AddWithValue("hashes", distinct.Select(d => d.ContentHash).ToArray());
                insert.Parameters.Add(new NpgsqlParameter("titles", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = distinct.Select(d => d.Title).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("files", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = distinct.Select(d => d.FileName).ToArray() });
                insert.Parameters.AddWithValue("kinds", distinct.Select(d => d.Kind).ToArray());
                insert.Parameters.AddWithValue("tags", distinct.Select(d => System.Text.Json.JsonSerializer.Serialize(d.Tags)).ToArray());
                insert.Parameters.AddWithValue("sizes", distinct.Select(d => (long)d.Content.Length).ToArray());
                foreach (var key in await StoreRows.ReadAllAsync(insert, reader => (reader.GetString(0), reader.GetString(1)), cancellationToken))
                    created.Add(key);
            }

            var fresh = distinct.Where(d => created.Contains((d.Collection, d.Id))).ToList();
            if (fresh.Count > 0)
            {
                await using var content = new NpgsqlCommand("""
                    INSERT INTO document_content (collection, id, raw) SELECT * FROM unnest(@collections, @ids, @raws);
                    INSERT INTO batch_documents (collection, batch_id, document_id)
                    SELECT collection, batch, id FROM unnest(@collections, @batches, @ids) AS b(collection, batch, id) WHERE batch IS NOT NULL;
                    """, connection, transaction);
                content.Parameters.AddWithValue("collections", fresh.Select(d => d.Collection).ToArray());
                content.Parameters.AddWithValue("ids", fresh.Select(d => d.Id).ToArray());
                content.Parameters.AddWithValue("raws", fresh.Select(d => d.Content.ToArray()).ToArray());
                content.Parameters.Add(new NpgsqlParameter("batches", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = fresh.Select(d => d.BatchId).ToArray() });
                await content.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await using var read = new NpgsqlCommand($"""
            SELECT {DocumentColumns} FROM documents
            WHERE (collection, id) IN (SELECT * FROM unnest(@collections, @ids))
            """, connection);
        read.Parameters.AddWithValue("collections", distinct.Select(d => d.Collection).ToArray());
        read.Parameters.AddWithValue("ids", distinct.Select(d => d.Id).ToArray());
        var stored = (await ReadDocumentsAsync(read, cancellationToken)).ToDictionary(d => (d.Collection, d.Id));
        // The first of the same bytes in the batch is the one created; later ones return it.
        var claimed = new HashSet<(string, string)>();
        return [.. documents.Select(d => new AddedDocument(stored[(d.Collection, d.Id)], created.Contains((d.Collection, d.Id)) && claimed.Add((d.Collection, d.Id))))];
    }

    /// <inheritdoc/>
    public async Task<BatchSummary?> GetBatchAsync(string collection, string batchId, CancellationToken cancellationToken)
    {
        await using var command = BatchCommand(StoreRows.BatchQuery, collection, batchId);
        return await StoreRows.ReadBatchAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListBatchUnfinishedAsync(string collection, string batchId, CancellationToken cancellationToken)
    {
        await using var command = BatchCommand(StoreRows.BatchUnfinishedQuery, collection, batchId);
        return await StoreRows.ReadAllAsync(command, reader => reader.GetString(0), cancellationToken);
    }

    private NpgsqlCommand BatchCommand(string query, string collection, string batchId)
    {
        var command = dataSource.CreateCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, query, "@"));
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("batch", batchId);
        return command;
    }

    /// <summary>The documents and the parts asked for in one query.</summary>
    public async Task<IReadOnlyList<LoadedDocument>> GetManyAsync(string collection, IReadOnlyList<string> ids, DocumentParts parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
            return [];
        var columns = string.Join(", ", DocumentColumns.Split(", ").Select(c => "d." + c));
        var raw = parts.HasFlag(DocumentParts.Content) ? "c.raw" : "NULL::bytea";
        var text = parts.HasFlag(DocumentParts.Text) ? "c.text" : "NULL::text";
        await using var command = dataSource.CreateCommand($"""
            SELECT {columns}, {raw}, {text}
            FROM documents d {(parts == DocumentParts.None ? "" : "LEFT JOIN document_content c ON c.collection = d.collection AND c.id = d.id")}
            WHERE d.collection = @collection AND d.id = ANY(@ids)
            """);
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("ids", ids.Distinct(StringComparer.Ordinal).ToArray());
        return await StoreRows.ReadAllAsync(command, reader => new LoadedDocument(
            Document(reader),
            reader.IsDBNull(14) ? null : reader.GetFieldValue<byte[]>(14),
            reader.IsDBNull(15) ? null : reader.GetString(15)), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DocumentRecord>> ListAsync(string collection, int limit, string? after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {DocumentColumns} FROM documents
            WHERE collection = @collection
              AND seq > COALESCE((SELECT seq FROM documents WHERE collection = @collection AND id = @after), 0)
            ORDER BY seq LIMIT @limit
            """);
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("after", NpgsqlDbType.Text, (object?)after ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadDocumentsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DocumentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {DocumentColumns} FROM documents WHERE state NOT IN ('Ready', 'Failed') ORDER BY seq");
        return await ReadDocumentsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT DISTINCT collection FROM documents ORDER BY collection");
        return await StoreRows.ReadAllAsync(command, r => r.GetString(0), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM documents WHERE collection = @collection)");
        command.Parameters.AddWithValue("collection", collection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Every document's state in one statement (one round trip).</summary>
    public async Task UpdateStatesAsync(string collection, IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
            return;
        await using var command = dataSource.CreateCommand("""
            UPDATE documents d SET state = u.state, progress = u.progress, error = u.error, updated_at = now()
            FROM unnest(@ids, @states, @progresses, @errors) AS u(id, state, progress, error)
            WHERE d.collection = @collection AND d.id = u.id
            """);
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("ids", changes.Select(c => c.DocumentId).ToArray());
        command.Parameters.AddWithValue("states", changes.Select(c => c.State.ToString()).ToArray());
        command.Parameters.AddWithValue("progresses", changes.Select(c => c.Progress).ToArray());
        command.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changes.Select(c => c.Error).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Every document's text and chunks in one transaction of three round trips, whatever the group's size: claim
    /// the documents still there (row locks), replace their chunks and texts, then one binary COPY of all chunks.
    /// </summary>
    public async Task<IReadOnlyList<bool>> SaveParsedAsync(string collection, IReadOnlyList<ParsedChunks> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
            return [];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row locks serialise two writers of the same document (a resumed job and a late duplicate in another
        // process): the second replaces the first's chunks, never adds to them.
        HashSet<string> present;
        await using (var claim = new NpgsqlCommand("""
            UPDATE documents d SET chunk_count = u.count
            FROM unnest(@ids, @counts) AS u(id, count)
            WHERE d.collection = @collection AND d.id = u.id
            RETURNING d.id
            """, connection, transaction))
        {
            claim.Parameters.AddWithValue("collection", collection);
            claim.Parameters.AddWithValue("ids", documents.Select(d => d.DocumentId).ToArray());
            claim.Parameters.AddWithValue("counts", documents.Select(d => d.Chunks.Count).ToArray());
            present = [.. await StoreRows.ReadAllAsync(claim, reader => reader.GetString(0), cancellationToken)];
        }

        var written = documents.Where(d => present.Contains(d.DocumentId)).ToList();
        if (written.Count > 0)
        {
            await using (var replace = new NpgsqlCommand("""
                DELETE FROM chunks WHERE collection = @collection AND document_id = ANY(@ids);
                UPDATE document_content c SET text = u.text FROM unnest(@ids, @texts) AS u(id, text) WHERE c.collection = @collection AND c.id = u.id;
                """, connection, transaction))
            {
                replace.Parameters.AddWithValue("collection", collection);
                replace.Parameters.AddWithValue("ids", written.Select(d => d.DocumentId).ToArray());
                replace.Parameters.AddWithValue("texts", written.Select(d => d.Text).ToArray());
                await replace.ExecuteNonQueryAsync(cancellationToken);
            }

            await CopyChunksAsync(connection, collection, written.SelectMany(d => d.Chunks.Select(c => (d.DocumentId, c))), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return [.. documents.Select(d => present.Contains(d.DocumentId))];
    }

    /// <summary>Binary COPY: one round trip for any number of chunks, of any number of documents.</summary>
    private static async Task CopyChunksAsync(NpgsqlConnection connection, string collection, IEnumerable<(string DocumentId, TextChunk Chunk)> chunks, CancellationToken cancellationToken)
    {
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY chunks (collection, document_id, idx, start, length, token_count, section, text) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (id, chunk) in chunks)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(collection, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(chunk.Index, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(chunk.Start, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(chunk.Length, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(chunk.TokenCount, NpgsqlDbType.Integer, cancellationToken);
                if (chunk.Section is null)
                    await writer.WriteNullAsync(cancellationToken);
                else
                    await writer.WriteAsync(chunk.Section, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(chunk.Text, NpgsqlDbType.Text, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TextChunk>> GetDocumentChunksAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StoreRows.ChunkColumns} FROM chunks WHERE collection = @collection AND document_id = @id ORDER BY idx");
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("id", documentId);
        return await StoreRows.ReadAllAsync(command, r => StoreRows.Chunk(r, 0), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredChunk>> GetChunksAsync(string collection, IReadOnlyList<ChunkRef> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
            return [];

        // The keys travel as two parallel arrays; chunks join their document, so a chunk of a
        // deleted document is never served.
        await using var command = dataSource.CreateCommand("""
            SELECT c.document_id, c.idx, c.start, c.length, c.text, c.token_count, c.section
            FROM unnest(@documents, @indexes) AS k(document_id, idx)
            JOIN chunks c ON c.collection = @collection AND c.document_id = k.document_id AND c.idx = k.idx
            """);
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("documents", keys.Select(k => k.DocumentId).ToArray());
        command.Parameters.AddWithValue("indexes", keys.Select(k => k.Index).ToArray());
        return await StoreRows.ReadChunksInKeyOrderAsync(command, collection, keys, cancellationToken);
    }

    /// <summary>Every document (content, chunks and batch rows cascade) in one statement.</summary>
    public async Task<int> DeleteManyAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var command = dataSource.CreateCommand("DELETE FROM documents WHERE collection = @collection AND id = ANY(@ids)");
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("ids", ids.Distinct(StringComparer.Ordinal).ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Documents from rows of <see cref="DocumentColumns"/>: tags as text[], times as timestamptz.</summary>
    private static async Task<IReadOnlyList<DocumentRecord>> ReadDocumentsAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        await StoreRows.ReadAllAsync(command, Document, cancellationToken);

    private static DocumentRecord Document(System.Data.Common.DbDataReader reader) =>
        StoreRows.Document(reader, reader.GetFieldValue<string[]>(6), reader.GetFieldValue<DateTimeOffset>(12), reader.GetFieldValue<DateTimeOffset>(13));
}
