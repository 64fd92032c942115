using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Stores;

/// <summary>
/// Documents, their raw content, extracted text and chunks: the source of truth. Indexes can be
/// rebuilt from it; search results are checked against it.
/// </summary>
public interface IDocumentStore
{
    /// <summary>
    /// Stores a new document, or returns the existing one with the same id (the id derives from
    /// the content hash, so the same bytes in the same collection are the same document).
    /// </summary>
    Task<(DocumentRecord Document, bool Created)> AddAsync(NewDocument document, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="AddAsync"/> for a batch, in order: a store whose durability costs per transaction stores them in
    /// one. The same bytes twice in the batch are one document (the later returns it, not created).
    /// </summary>
    /// <param name="documents">The documents, in upload order.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    async Task<IReadOnlyList<(DocumentRecord Document, bool Created)>> AddManyAsync(IReadOnlyList<NewDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var added = new List<(DocumentRecord Document, bool Created)>(documents.Count);
        foreach (var document in documents)
            added.Add(await AddAsync(document, cancellationToken));
        return added;
    }

    /// <summary>Where the batch's documents are (<see cref="NewDocument.BatchId"/>), or null when none of them exists.</summary>
    Task<BatchSummary?> GetBatchAsync(string collection, string batchId, CancellationToken cancellationToken);

    /// <summary>The batch's documents whose ingestion has not ended.</summary>
    Task<IReadOnlyList<string>> ListBatchUnfinishedAsync(string collection, string batchId, CancellationToken cancellationToken);

    /// <summary>A document, or null.</summary>
    Task<DocumentRecord?> GetAsync(string collection, string id, CancellationToken cancellationToken);

    /// <summary>
    /// The documents of a collection that exist among <paramref name="ids"/>, each with its uploaded bytes when
    /// <paramref name="withContent"/> (null otherwise): what a group of a batch reads before its work, in one query
    /// where the store can.
    /// </summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="ids">The documents asked for.</param>
    /// <param name="withContent">Whether to read their bytes too.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    async Task<IReadOnlyList<(DocumentRecord Document, byte[]? Content)>> GetManyAsync(string collection, IReadOnlyList<string> ids, bool withContent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new List<(DocumentRecord, byte[]?)>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (await GetAsync(collection, id, cancellationToken) is { } document)
                found.Add((document, withContent ? await GetContentAsync(collection, id, cancellationToken) : null));
        }

        return found;
    }

    /// <summary>Documents of a collection, oldest first, after the id <paramref name="after"/> in that order.</summary>
    Task<IReadOnlyList<DocumentRecord>> ListAsync(string collection, int limit, string? after, CancellationToken cancellationToken);

    /// <summary>Documents whose ingestion has not ended, in every collection.</summary>
    Task<IReadOnlyList<DocumentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>The collections that hold documents, by name.</summary>
    Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken);

    /// <summary>Whether the collection holds any document.</summary>
    Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken);

    /// <summary>The uploaded bytes, or null when the document is gone.</summary>
    Task<byte[]?> GetContentAsync(string collection, string id, CancellationToken cancellationToken);

    /// <summary>Stores the document's parsed text (what chunks and citations index).</summary>
    Task SetTextAsync(string collection, string id, string text, CancellationToken cancellationToken);

    /// <summary>The parsed text chunk spans point into, or null before parsing.</summary>
    Task<string?> GetTextAsync(string collection, string id, CancellationToken cancellationToken);

    /// <summary>Sets the document's state, progress and error, and touches its updated time.</summary>
    Task UpdateStateAsync(string collection, string id, DocumentState state, double progress, string? error, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="UpdateStateAsync"/> for several documents of a collection, with no error: a store whose
    /// durability costs per transaction sets them in one (a group of a batch becoming ready together).
    /// </summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="ids">The documents.</param>
    /// <param name="state">Their new state.</param>
    /// <param name="progress">Their progress, 0 to 1.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    async Task UpdateStatesAsync(string collection, IReadOnlyList<string> ids, DocumentState state, double progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
            await UpdateStateAsync(collection, id, state, progress, null, cancellationToken);
    }

    /// <summary>
    /// <see cref="SetTextAsync"/> and <see cref="ReplaceChunksAsync"/> for several documents of a collection: a store
    /// whose durability costs per transaction writes them all in one. Returns, per document, whether it was written
    /// (false: the document is gone).
    /// </summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="documents">Each document's parsed text and chunks.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    async Task<IReadOnlyList<bool>> SaveParsedAsync(string collection, IReadOnlyList<ParsedChunks> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var written = new List<bool>(documents.Count);
        foreach (var document in documents)
        {
            await SetTextAsync(collection, document.DocumentId, document.Text, cancellationToken);
            written.Add(await ReplaceChunksAsync(collection, document.DocumentId, document.Chunks, cancellationToken));
        }

        return written;
    }

    /// <summary>Replaces all chunks of a document in one transaction. Does nothing if the document is gone.</summary>
    Task<bool> ReplaceChunksAsync(string collection, string id, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken);

    /// <summary>A document's chunks, in order.</summary>
    Task<IReadOnlyList<TextChunk>> GetChunksAsync(string collection, string id, CancellationToken cancellationToken);

    /// <summary>The chunks named by (document id, index), in the order asked; missing ones are left out.</summary>
    Task<IReadOnlyList<StoredChunk>> GetChunksAsync(string collection, IReadOnlyList<(string DocumentId, int Index)> keys, CancellationToken cancellationToken);

    /// <summary>Deletes a document with its content and chunks. Returns false if it did not exist.</summary>
    Task<bool> DeleteAsync(string collection, string id, CancellationToken cancellationToken);

    /// <summary><see cref="DeleteAsync"/> for several documents of a collection, in one transaction where the store can; returns how many existed.</summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="ids">The documents.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    async Task<int> DeleteManyAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var deleted = 0;
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
            deleted += await DeleteAsync(collection, id, cancellationToken) ? 1 : 0;
        return deleted;
    }
}
