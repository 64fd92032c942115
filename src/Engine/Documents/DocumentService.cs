using Rag.Engine.Ingestion;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Documents;

/// <summary>Accepts, lists and deletes documents.</summary>
public sealed class DocumentService(IDocumentStore store, ILexicalIndex lexicalIndex, IVectorIndex vectorIndex, IIngestionQueue queue, IDocumentLocks locks, IngestionRuns runs)
{
    /// <summary>
    /// Stores the upload and queues its ingestion. When the same bytes are already in the
    /// collection, returns that document and queues nothing.
    /// </summary>
    public async Task<(DocumentRecord Document, bool Created)> AddAsync(DocumentUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var hash = DocumentIds.ContentHash(upload.Content.Span);
        // A document stored by an earlier version under its content-only id is still this upload's duplicate.
        if (await store.GetAsync(upload.Collection, DocumentIds.Legacy(hash), cancellationToken) is { } earlier && earlier.ContentHash == hash)
            return (earlier, false);
        var document = new NewDocument(
            upload.Collection,
            DocumentIds.For(upload.Collection, hash),
            hash,
            upload.Title,
            upload.FileName,
            upload.Kind.ToString(),
            upload.Tags,
            upload.Content);
        var (record, created) = await store.AddAsync(document, cancellationToken);
        // Stored before queued: if the process dies between the two, recovery at start queues it.
        if (created)
            queue.Enqueue(record.Collection, record.Id, record.SizeBytes);
        return (record, created);
    }

    /// <summary>A document, or null.</summary>
    public Task<DocumentRecord?> GetAsync(string collection, string id, CancellationToken cancellationToken) =>
        store.GetAsync(collection, id, cancellationToken);

    /// <summary>A page of a collection's documents in upload order, after the document <paramref name="after"/>.</summary>
    public Task<IReadOnlyList<DocumentRecord>> ListAsync(string collection, int limit, string? after, CancellationToken cancellationToken) =>
        store.ListAsync(collection, limit, after, cancellationToken);

    /// <summary>Whether the collection holds any document.</summary>
    public Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken) =>
        store.CollectionExistsAsync(collection, cancellationToken);

    /// <summary>The collections that hold documents.</summary>
    public Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken) =>
        store.ListCollectionsAsync(cancellationToken);

    /// <summary>A document's parsed text (what citations' offsets index), or null before parsing.</summary>
    public Task<string?> GetTextAsync(string collection, string id, CancellationToken cancellationToken) =>
        store.GetTextAsync(collection, id, cancellationToken);

    /// <summary>A document's chunks, in order.</summary>
    public Task<IReadOnlyList<Retrieval.Chunking.TextChunk>> GetChunksAsync(string collection, string id, CancellationToken cancellationToken) =>
        store.GetChunksAsync(collection, id, cancellationToken);

    /// <summary>Deletes the document, its chunks and its index entries. Waits for a running ingestion of it.</summary>
    public async Task<bool> DeleteAsync(string collection, string id, CancellationToken cancellationToken)
    {
        // A running ingestion of the document stops now rather than finishing work about to be thrown away.
        runs.Cancel(collection, id);
        var held = await TryLockAsync(collection, id, cancellationToken);
        try
        {
            var deleted = await store.DeleteAsync(collection, id, cancellationToken);
            // The store is the source of truth and search results are checked against it, so index
            // entries left by a crash right here are never served; the next delete or ingest clears them.
            await lexicalIndex.DeleteAsync(collection, id, cancellationToken);
            await vectorIndex.DeleteAsync(collection, id, cancellationToken);
            return deleted;
        }
        finally
        {
            if (held is not null)
                await held.DisposeAsync();
        }
    }

    /// <summary>
    /// The document's lock, or null when another process's ingestion still holds it after a short wait:
    /// the delete goes ahead, and that run — which checks the document at every slice and before it
    /// marks it ready — stops and removes what it wrote.
    /// </summary>
    private async Task<IAsyncDisposable?> TryLockAsync(string collection, string id, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            return await locks.AcquireAsync(collection, id, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
