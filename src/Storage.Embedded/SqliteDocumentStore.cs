using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Stores;
using Rag.Storage.Sql;

namespace Rag.Storage.Embedded;

/// <summary>
/// The embedded document store: one SQLite file in WAL mode. Every write is one transaction, with
/// synchronous=FULL, so an acknowledged upload survives a crash of the process or the machine.
/// </summary>
public sealed class SqliteDocumentStore : IDocumentStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    private SqliteDocumentStore(string connectionString, TimeProvider time) => (_connectionString, _time) = (connectionString, time);

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="time">The clock documents' created and updated times come from (the system's when null).</param>
    public static SqliteDocumentStore Open(string path, TimeProvider? time = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 };
        var store = new SqliteDocumentStore(builder.ToString(), time ?? TimeProvider.System);
        using var connection = new SqliteConnection(store._connectionString);
        connection.Open();
        SqliteMigrations.Apply(connection);
        return store;
    }


    private const string DocumentColumns = StoreRows.DocumentColumns;

    /// <summary>Every document of the batch in one transaction: one fsync of the write-ahead log for the batch, not one per document.</summary>
    public async Task<IReadOnlyList<AddedDocument>> AddManyAsync(IReadOnlyList<NewDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var outcomes = new List<(string Collection, string Id, DocumentRecord? Existing)>(documents.Count);
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var document in documents)
            {
                var existing = await GetAsync(connection, document.Collection, document.Id, cancellationToken);
                if (existing is null)
                    await InsertAsync(connection, document, cancellationToken);
                outcomes.Add((document.Collection, document.Id, existing));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var added = new List<AddedDocument>(outcomes.Count);
        foreach (var (collection, id, existing) in outcomes)
            added.Add(existing is null ? new((await GetAsync(connection, collection, id, cancellationToken))!, true) : new(existing, false));
        return added;
    }

    private async Task InsertAsync(SqliteConnection connection, NewDocument document, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"""
                INSERT INTO documents ({DocumentColumns}, seq)
                VALUES ($collection, $id, $hash, $title, $file, $kind, $tags, $size, $state, 0, NULL, 0, $now, $now,
                        (SELECT COALESCE(MAX(seq), 0) + 1 FROM documents));
                INSERT INTO document_content (collection, id, raw) VALUES ($collection, $id, $raw);
                INSERT INTO batch_documents (collection, batch_id, document_id) SELECT $collection, $batch, $id WHERE $batch IS NOT NULL;
                """;
            insert.Parameters.AddWithValue("$collection", document.Collection);
            insert.Parameters.AddWithValue("$id", document.Id);
            insert.Parameters.AddWithValue("$hash", document.ContentHash);
            insert.Parameters.AddWithValue("$title", (object?)document.Title ?? DBNull.Value);
            insert.Parameters.AddWithValue("$file", (object?)document.FileName ?? DBNull.Value);
            insert.Parameters.AddWithValue("$kind", document.Kind);
            insert.Parameters.AddWithValue("$tags", JsonSerializer.Serialize(document.Tags));
            insert.Parameters.AddWithValue("$size", document.Content.Length);
            insert.Parameters.AddWithValue("$state", nameof(DocumentState.Queued));
            insert.Parameters.AddWithValue("$now", now);
            insert.Parameters.Add("$raw", SqliteType.Blob).Value = document.Content.ToArray();
            insert.Parameters.AddWithValue("$batch", (object?)document.BatchId ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task<BatchSummary?> GetBatchAsync(string collection, string batchId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = BatchCommand(connection, StoreRows.BatchQuery, collection, batchId);
        return await StoreRows.ReadBatchAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListBatchUnfinishedAsync(string collection, string batchId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = BatchCommand(connection, StoreRows.BatchUnfinishedQuery, collection, batchId);
        return await StoreRows.ReadAllAsync(command, reader => reader.GetString(0), cancellationToken);
    }

    private static SqliteCommand BatchCommand(SqliteConnection connection, string query, string collection, string batchId)
    {
        var command = connection.CreateCommand();
        command.CommandText = string.Format(CultureInfo.InvariantCulture, query, "$");
        command.Parameters.AddWithValue("$collection", collection);
        command.Parameters.AddWithValue("$batch", batchId);
        return command;
    }

    /// <summary>The documents and the parts asked for in one query.</summary>
    public async Task<IReadOnlyList<LoadedDocument>> GetManyAsync(string collection, IReadOnlyList<string> ids, DocumentParts parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
            return [];

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = new List<string>(distinct.Count);
        for (var i = 0; i < distinct.Count; i++)
        {
            names.Add($"$id{i}");
            command.Parameters.AddWithValue($"$id{i}", distinct[i]);
        }

        var raw = parts.HasFlag(DocumentParts.Content) ? "c.raw" : "NULL";
        var text = parts.HasFlag(DocumentParts.Text) ? "c.text" : "NULL";
        command.CommandText = $"""
            SELECT {string.Join(", ", DocumentColumns.Split(", ").Select(c => "d." + c))}, {raw}, {text} FROM documents d
            LEFT JOIN document_content c ON c.collection = d.collection AND c.id = d.id
            WHERE d.collection = $collection AND d.id IN ({string.Join(", ", names)})
            """;
        command.Parameters.AddWithValue("$collection", collection);
        return await StoreRows.ReadAllAsync(command, reader => new LoadedDocument(
            Document(reader),
            reader.IsDBNull(14) ? null : (byte[])reader.GetValue(14),
            reader.IsDBNull(15) ? null : reader.GetString(15)), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DocumentRecord>> ListAsync(string collection, int limit, string? after, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {DocumentColumns} FROM documents
            WHERE collection = $collection
              AND seq > COALESCE((SELECT seq FROM documents WHERE collection = $collection AND id = $after), 0)
            ORDER BY seq LIMIT $limit
            """;
        command.Parameters.AddWithValue("$collection", collection);
        command.Parameters.AddWithValue("$after", (object?)after ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadDocuments(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DocumentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DocumentColumns} FROM documents WHERE state NOT IN ('Ready', 'Failed') ORDER BY seq";
        return await ReadDocuments(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT collection FROM documents ORDER BY collection";
        return await StoreRows.ReadAllAsync(command, r => r.GetString(0), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM documents WHERE collection = $collection)";
        command.Parameters.AddWithValue("$collection", collection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    private static async Task SetTextAsync(SqliteConnection connection, string collection, string id, string text, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE document_content SET text = $text WHERE collection = $collection AND id = $id";
        command.Parameters.AddWithValue("$collection", collection);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$text", text);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every document's text and chunks in one transaction.</summary>
    public async Task<IReadOnlyList<bool>> SaveParsedAsync(string collection, IReadOnlyList<ParsedChunks> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var written = new List<bool>(documents.Count);
        foreach (var document in documents)
        {
            var exists = await GetAsync(connection, collection, document.DocumentId, cancellationToken) is not null;
            if (exists)
            {
                await SetTextAsync(connection, collection, document.DocumentId, document.Text, cancellationToken);
                await WriteChunksAsync(connection, collection, document.DocumentId, document.Chunks, cancellationToken);
            }

            written.Add(exists);
        }

        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>Every document's state in one transaction.</summary>
    public async Task UpdateStatesAsync(string collection, IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
            return;

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE documents SET state = $state, progress = $progress, error = $error, updated_at = $now
            WHERE collection = $collection AND id = $id
            """;
        command.Parameters.AddWithValue("$collection", collection);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var state = command.Parameters.Add("$state", SqliteType.Text);
        var progress = command.Parameters.Add("$progress", SqliteType.Real);
        var error = command.Parameters.Add("$error", SqliteType.Text);
        foreach (var change in changes)
        {
            id.Value = change.DocumentId;
            state.Value = change.State.ToString();
            progress.Value = change.Progress;
            error.Value = (object?)change.Error ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Replaces the document's chunks and its chunk count, inside the caller's transaction.</summary>
    private static async Task WriteChunksAsync(SqliteConnection connection, string collection, string id, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken)
    {
        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM chunks WHERE collection = $collection AND document_id = $id";
            delete.Parameters.AddWithValue("$collection", collection);
            delete.Parameters.AddWithValue("$id", id);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO chunks (collection, document_id, idx, start, length, token_count, section, text)
                VALUES ($collection, $id, $idx, $start, $length, $tokens, $section, $text)
                """;
            insert.Parameters.AddWithValue("$collection", collection);
            insert.Parameters.AddWithValue("$id", id);
            var idx = insert.Parameters.Add("$idx", SqliteType.Integer);
            var start = insert.Parameters.Add("$start", SqliteType.Integer);
            var length = insert.Parameters.Add("$length", SqliteType.Integer);
            var tokens = insert.Parameters.Add("$tokens", SqliteType.Integer);
            var section = insert.Parameters.Add("$section", SqliteType.Text);
            var text = insert.Parameters.Add("$text", SqliteType.Text);
            foreach (var chunk in chunks)
            {
                idx.Value = chunk.Index;
                start.Value = chunk.Start;
                length.Value = chunk.Length;
                tokens.Value = chunk.TokenCount;
                section.Value = (object?)chunk.Section ?? DBNull.Value;
                text.Value = chunk.Text;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var count = connection.CreateCommand())
        {
            count.CommandText = "UPDATE documents SET chunk_count = $count WHERE collection = $collection AND id = $id";
            count.Parameters.AddWithValue("$collection", collection);
            count.Parameters.AddWithValue("$id", id);
            count.Parameters.AddWithValue("$count", chunks.Count);
            await count.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TextChunk>> GetDocumentChunksAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StoreRows.ChunkColumns} FROM chunks WHERE collection = $collection AND document_id = $id ORDER BY idx";
        command.Parameters.AddWithValue("$collection", collection);
        command.Parameters.AddWithValue("$id", documentId);
        return await StoreRows.ReadAllAsync(command, r => StoreRows.Chunk(r, 0), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredChunk>> GetChunksAsync(string collection, IReadOnlyList<ChunkRef> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
            return [];

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var clauses = new List<string>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            clauses.Add($"(document_id = $d{i} AND idx = $i{i})");
            command.Parameters.AddWithValue($"$d{i}", keys[i].DocumentId);
            command.Parameters.AddWithValue($"$i{i}", keys[i].Index);
        }

        // Only chunks of documents that still exist: a delete that raced an index write never resurfaces.
        command.CommandText = $"""
            SELECT c.document_id, c.idx, c.start, c.length, c.text, c.token_count, c.section FROM chunks c
            JOIN documents d ON d.collection = c.collection AND d.id = c.document_id
            WHERE c.collection = $collection AND ({string.Join(" OR ", clauses)})
            """;
        command.Parameters.AddWithValue("$collection", collection);
        return await StoreRows.ReadChunksInKeyOrderAsync(command, collection, keys, cancellationToken);
    }

    /// <summary>Every document in one transaction (one fsync of the write-ahead log).</summary>
    public async Task<int> DeleteManyAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var deleted = 0;
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM chunks WHERE collection = $collection AND document_id = $id;
                DELETE FROM batch_documents WHERE collection = $collection AND document_id = $id;
                DELETE FROM document_content WHERE collection = $collection AND id = $id;
                DELETE FROM documents WHERE collection = $collection AND id = $id;
                SELECT changes();
                """;
            command.Parameters.AddWithValue("$collection", collection);
            command.Parameters.AddWithValue("$id", id);
            deleted += Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0 ? 1 : 0;
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await Execute(connection, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task Execute(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<DocumentRecord?> GetAsync(SqliteConnection connection, string collection, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DocumentColumns} FROM documents WHERE collection = $collection AND id = $id";
        command.Parameters.AddWithValue("$collection", collection);
        command.Parameters.AddWithValue("$id", id);
        var documents = await ReadDocuments(command, cancellationToken);
        return documents.Count == 0 ? null : documents[0];
    }

    /// <summary>Documents from rows of <see cref="DocumentColumns"/>.</summary>
    private static async Task<IReadOnlyList<DocumentRecord>> ReadDocuments(SqliteCommand command, CancellationToken cancellationToken) =>
        await StoreRows.ReadAllAsync(command, Document, cancellationToken);

    /// <summary>A document from a row that starts with <see cref="DocumentColumns"/>: tags as JSON text, times as ISO 8601 text.</summary>
    private static DocumentRecord Document(System.Data.Common.DbDataReader reader) => StoreRows.Document(
        reader,
        JsonSerializer.Deserialize<string[]>(reader.GetString(6)) ?? [],
        DateTimeOffset.Parse(reader.GetString(12), CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(reader.GetString(13), CultureInfo.InvariantCulture));
}
