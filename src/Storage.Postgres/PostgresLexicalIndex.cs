using Npgsql;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Lexical;

namespace Rag.Storage.Postgres;

/// <summary>
/// The server lexical index: PostgreSQL full text (English stemming, GIN index) in its own table,
/// so it can be rebuilt from the document store like the embedded Lucene index.
/// </summary>
/// <remarks>
/// Queries match any of their terms (OR, as BM25 does), not all of them as <c>plainto_tsquery</c>
/// would. Ranking is <c>ts_rank</c> normalised by document length — PostgreSQL has no BM25, so the
/// scores (and sometimes the order) differ from the embedded Lucene index; section headings weigh
/// a tenth of body text.
/// </remarks>
public sealed class PostgresLexicalIndex(NpgsqlDataSource dataSource) : ILexicalIndex
{
    /// <inheritdoc/>
    public Task IndexAsync(string collection, string documentId, IReadOnlyList<string> tags, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken) =>
        IndexManyAsync(collection, [new LexicalDocument(documentId, tags, chunks)], cancellationToken);

    /// <summary>Every document's entries replaced in one transaction: one round trip for the group, and the commit.</summary>
    public async Task IndexManyAsync(string collection, IReadOnlyList<LexicalDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
            return;
        var rows = documents.SelectMany(d => d.Chunks.Select(c => (Document: d, Chunk: c))).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two jobs of one document (a resumed job beside the one a dead worker left) may write at once: the second's
        // delete cannot see the first's uncommitted rows, so its insert meets them — and takes them over.
        await using (var replace = new NpgsqlCommand("""
            DELETE FROM lexical_entries WHERE collection = @collection AND document_id = ANY(@documents);
            INSERT INTO lexical_entries (collection, document_id, idx, tags, terms)
            SELECT @collection, t.document, t.idx, ARRAY(SELECT jsonb_array_elements_text(t.tags::jsonb)),
                   setweight(to_tsvector('english', t.text), 'A') || setweight(to_tsvector('english', coalesce(t.section, '')), 'D')
            FROM unnest(@chunkDocuments, @tags, @indexes, @texts, @sections) AS t(document, tags, idx, text, section)
            ON CONFLICT (collection, document_id, idx) DO UPDATE SET tags = EXCLUDED.tags, terms = EXCLUDED.terms;
            """, connection, transaction))
        {
            replace.Parameters.AddWithValue("collection", collection);
            replace.Parameters.AddWithValue("documents", documents.Select(d => d.DocumentId).ToArray());
            replace.Parameters.AddWithValue("chunkDocuments", rows.Select(r => r.Document.DocumentId).ToArray());
            replace.Parameters.AddWithValue("tags", rows.Select(r => System.Text.Json.JsonSerializer.Serialize(r.Document.Tags)).ToArray());
            replace.Parameters.AddWithValue("indexes", rows.Select(r => r.Chunk.Index).ToArray());
            replace.Parameters.AddWithValue("texts", rows.Select(r => r.Chunk.Text).ToArray());
            replace.Parameters.Add(new NpgsqlParameter("sections", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = rows.Select(r => r.Chunk.Section).ToArray() });
            await replace.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Every document's entries in one statement.</summary>
    public async Task DeleteManyAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        await using var command = dataSource.CreateCommand("DELETE FROM lexical_entries WHERE collection = @collection AND document_id = ANY(@documents)");
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("documents", documentIds.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM lexical_entries WHERE collection = @collection AND document_id = @document");
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("document", documentId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LexicalHit>> SearchAsync(string collection, string query, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (topK <= 0)
            return [];

        // The query's lexemes (stemmed, stop words gone), OR-ed, each quoted so that no character
        // of the user's text is read as tsquery syntax. Only stop words: no query, no hits.
        await using var command = dataSource.CreateCommand("""
            WITH q AS (
                SELECT (SELECT string_agg(quote_literal(lexeme), ' | ')
                        FROM unnest(tsvector_to_array(to_tsvector('english', @query))) AS lexeme)::tsquery AS query
            )
            SELECT e.document_id, e.idx, ts_rank(e.terms, q.query, 1) AS score
            FROM lexical_entries e, q
            WHERE q.query IS NOT NULL AND e.collection = @collection AND e.terms @@ q.query AND e.tags @> @tags
            ORDER BY score DESC, e.document_id, e.idx
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("query", query);
        command.Parameters.AddWithValue("collection", collection);
        command.Parameters.AddWithValue("tags", (tags ?? []).ToArray());
        command.Parameters.AddWithValue("limit", topK);
        var hits = new List<LexicalHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            hits.Add(new LexicalHit(reader.GetString(0), reader.GetInt32(1), reader.GetFloat(2)));
        return hits;
    }
}
