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
    public async Task<AddedDocument> AddAsync(DocumentUpload upload, CancellationToken cancellationToken)
    {
        var added = await StoreAsync(upload, cancellationToken);
        // Stored before queued: if the process dies between the two, recovery at start queues it.
        if (added.Created)
            queue.Enqueue(added.Document.Collection, added.Document.Id, added.Document.SizeBytes);
        return added;
    }

    /// <summary>
    /// Stores a batch of uploads to one collection, in order, and queues the new ones together (the queue may
    /// run them in groups). The same bytes twice — within the batch or already in the collection — are one
    /// document: the later upload returns it, not created.
    /// </summary>
    /// <param name="collection">The collection every upload belongs to.</param>
    /// <param name="uploads">The uploads, in order.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <param name="batchId">Records the documents this call creates as this batch's (<see cref="NewBatchId"/>): its progress and cancel.</param>
    public async Task<IReadOnlyList<AddedDocument>> AddManyAsync(
        string collection, IReadOnlyList<DocumentUpload> uploads, CancellationToken cancellationToken, string? batchId = null)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        if (uploads.Any(u => u.Collection != collection))
            throw new ArgumentException("Every upload of a batch belongs to its collection.", nameof(uploads));
        // Uploads whose bytes an earlier version stored under a content-only id are that document; the rest are stored together.
        var earlier = new AddedDocument?[uploads.Count];
        var fresh = new List<(int Position, NewDocument Document)>();
        var resolved = await ResolveAsync(collection, uploads, cancellationToken);
        for (var i = 0; i < uploads.Count; i++)
        {
            if (resolved[i].Earlier is { } known)
                earlier[i] = new(known, false);
            else
                fresh.Add((i, resolved[i].Document));
        }

        var stored = await store.AddManyAsync([.. fresh.Select(f => f.Document with { BatchId = batchId })], cancellationToken);
        for (var k = 0; k < fresh.Count; k++)
            earlier[fresh[k].Position] = stored[k];
        var added = earlier.Select(a => a!).ToList();
        var created = added.Where(a => a.Created).Select(a => (a.Document.Id, a.Document.SizeBytes)).ToList();
        if (created.Count > 0)
            queue.EnqueueMany(collection, created);
        return added;
    }

    /// <summary>A new batch id: <c>bat_</c> and 24 random hex digits (unguessable; a batch is also scoped to its collection).</summary>
    public static string NewBatchId() => "bat_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    /// <summary>Where a batch's documents are, or null when none of them exists (an unknown batch, or all deleted).</summary>
    public Task<BatchSummary?> GetBatchAsync(string collection, string batchId, CancellationToken cancellationToken) =>
        store.GetBatchAsync(collection, batchId, cancellationToken);

    /// <summary>
    /// Cancels a batch: its documents whose ingestion has not ended are deleted (a running ingestion stops); those
    /// already ready or failed stay. Returns how many were deleted, or null when the batch has no document.
    /// </summary>
    public async Task<int?> CancelBatchAsync(string collection, string batchId, CancellationToken cancellationToken)
    {
        var unfinished = await store.ListBatchUnfinishedAsync(collection, batchId, cancellationToken);
        if (unfinished.Count == 0)
            return await store.GetBatchAsync(collection, batchId, cancellationToken) is null ? null : 0;
        return await DeleteManyAsync(collection, unfinished, cancellationToken);
    }

    /// <summary><see cref="DeleteAsync"/> for several documents, each step once for all of them (one transaction, one index commit).</summary>
    private async Task<int> DeleteManyAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
            runs.Cancel(collection, id);
        var held = await TryLockAsync(token => locks.AcquireManyAsync(collection, ids, token), cancellationToken);
        try
        {
            var deleted = await store.DeleteManyAsync(collection, ids, cancellationToken);
            await lexicalIndex.DeleteManyAsync(collection, ids, cancellationToken);
            foreach (var id in ids)
                await vectorIndex.DeleteAsync(collection, id, cancellationToken);
            return deleted;
        }
        finally
        {
            if (held is not null)
                await held.DisposeAsync();
        }
    }

    private async Task<AddedDocument> StoreAsync(DocumentUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var (earlier, document) = (await ResolveAsync(upload.Collection, [upload], cancellationToken))[0];
        return earlier is not null ? new(earlier, false) : await store.AddAsync(document, cancellationToken);
    }

    /// <summary>
    /// Each upload as a new document (its id from the collection and the content hash), and the document an earlier
    /// version stored with the same bytes under its content-only id, if any: then the upload is that document's
    /// duplicate. The earlier documents are looked up in one read.
    /// </summary>
    private async Task<List<(DocumentRecord? Earlier, NewDocument Document)>> ResolveAsync(string collection, IReadOnlyList<DocumentUpload> uploads, CancellationToken cancellationToken)
    {
        var hashes = uploads.Select(u => DocumentIds.ContentHash(u.Content.Span)).ToList();
        var legacy = (await store.GetManyAsync(collection, [.. hashes.Select(DocumentIds.Legacy)], DocumentParts.None, cancellationToken))
            .ToDictionary(k => k.Document.Id, k => k.Document, StringComparer.Ordinal);
        return [.. uploads.Select((upload, i) => (
            legacy.GetValueOrDefault(DocumentIds.Legacy(hashes[i])) is { } old && old.ContentHash == hashes[i] ? old : null,
            new NewDocument(upload.Collection, DocumentIds.For(upload.Collection, hashes[i]), hashes[i], upload.Title, upload.FileName,
                upload.Kind.ToString(), upload.Tags, upload.Content)))];
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
        store.GetDocumentChunksAsync(collection, id, cancellationToken);

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
    private Task<IAsyncDisposable?> TryLockAsync(string collection, string id, CancellationToken cancellationToken) =>
        TryLockAsync(token => locks.AcquireAsync(collection, id, token), cancellationToken);

    private static async Task<IAsyncDisposable?> TryLockAsync(Func<CancellationToken, Task<IAsyncDisposable>> acquire, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            return await acquire(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
