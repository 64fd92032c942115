using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Stores;

/// <summary>
/// Documents, their raw content, extracted text and chunks: the source of truth. Indexes can be rebuilt from it;
/// search results are checked against it. Every write takes a batch (a single document is a batch of one, see
/// <see cref="DocumentStoreExtensions"/>), so a store whose durability costs per transaction pays it once per batch,
/// and a decorator has nothing to forget.
/// </summary>
public interface IDocumentStore
{
    /// <summary>
    /// Stores new documents in one transaction, in order, or returns the existing one with the same id (the id
    /// derives from the content hash, so the same bytes in the same collection are the same document; the same
    /// bytes twice in the batch are one document, the later returned as not created).
    /// </summary>
    /// <param name="documents">The documents, in upload order.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task<IReadOnlyList<AddedDocument>> AddManyAsync(IReadOnlyList<NewDocument> documents, CancellationToken cancellationToken);

    /// <summary>
    /// The documents of a collection that exist among <paramref name="ids"/> (in no particular order, each once),
    /// with the parts asked for, in one query.
    /// </summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="ids">The documents asked for.</param>
    /// <param name="parts">What to read besides the record: the uploaded bytes, the parsed text.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task<IReadOnlyList<LoadedDocument>> GetManyAsync(string collection, IReadOnlyList<string> ids, DocumentParts parts, CancellationToken cancellationToken);

    /// <summary>Documents of a collection, oldest first, after the id <paramref name="after"/> in that order.</summary>
    Task<IReadOnlyList<DocumentRecord>> ListAsync(string collection, int limit, string? after, CancellationToken cancellationToken);

    /// <summary>Documents whose ingestion has not ended, in every collection.</summary>
    Task<IReadOnlyList<DocumentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>The collections that hold documents, by name.</summary>
    Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken);

    /// <summary>Whether the collection holds any document.</summary>
    Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken);

    /// <summary>Where the batch's documents are (<see cref="NewDocument.BatchId"/>), or null when none of them exists.</summary>
    Task<BatchSummary?> GetBatchAsync(string collection, string batchId, CancellationToken cancellationToken);

    /// <summary>The batch's documents whose ingestion has not ended.</summary>
    Task<IReadOnlyList<string>> ListBatchUnfinishedAsync(string collection, string batchId, CancellationToken cancellationToken);

    /// <summary>Sets each document's state, progress and error, and touches its updated time, in one transaction; documents that are gone are skipped.</summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="changes">The new states.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task UpdateStatesAsync(string collection, IReadOnlyList<StateChange> changes, CancellationToken cancellationToken);

    /// <summary>
    /// Writes each document's parsed text and replaces its chunks (and chunk count), all in one transaction. Returns,
    /// per document in order, whether it was written (false: the document is gone).
    /// </summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="documents">Each document's parsed text and chunks.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task<IReadOnlyList<bool>> SaveParsedAsync(string collection, IReadOnlyList<ParsedChunks> documents, CancellationToken cancellationToken);

    /// <summary>A document's chunks, in order (none when it is gone or not chunked yet).</summary>
    Task<IReadOnlyList<TextChunk>> GetDocumentChunksAsync(string collection, string documentId, CancellationToken cancellationToken);

    /// <summary>The chunks named, in the order asked; chunks of documents that are gone are left out.</summary>
    Task<IReadOnlyList<StoredChunk>> GetChunksAsync(string collection, IReadOnlyList<ChunkRef> chunks, CancellationToken cancellationToken);

    /// <summary>Deletes documents with their content and chunks, in one transaction; returns how many existed.</summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="ids">The documents.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task<int> DeleteManyAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken);
}
