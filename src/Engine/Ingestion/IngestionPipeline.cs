using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rag.Engine.Configuration;
using Rag.Engine.Diagnostics;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Ingestion;

/// <summary>
/// Ingests stored documents as a group (a single upload is a group of one) through named steps:
/// <c>parse → chunk → store_text → embed → index_vectors → index_lexical → mark_ready</c> (the embedding steps
/// only with an encoder). Every step is idempotent and replaces what an earlier, interrupted run left behind, so
/// running ingestion again for the same documents — after a crash, a retry or a duplicate enqueue — is always safe
/// and never duplicates a chunk; a run resumes after <c>store_text</c> for documents whose text and chunks are
/// already stored. A document the parser cannot read ends as failed with a reason written for the uploader; one
/// that fails otherwise is returned to the caller to retry; neither stops the others.
/// </summary>
public sealed class IngestionPipeline
{
    private readonly IDocumentStore _store;
    private readonly IVectorIndex _vectorIndex;
    private readonly ITextEmbedder? _embedder;
    private readonly IDocumentLocks _locks;
    private readonly IngestionRuns _runs;
    private readonly RagMetrics _metrics;
    private readonly IngestionOptions _options;
    private readonly IngestionLog _log;
    private readonly IIngestionStep[] _underLocks;
    private readonly IIngestionStep[] _afterLocks;
    private readonly IIngestionStep[] _backfill;

    /// <summary>The pipeline over the stores, the indexes and (when configured) the encoder.</summary>
    public IngestionPipeline(
        IDocumentStore store,
        ILexicalIndex lexicalIndex,
        IVectorIndex vectorIndex,
        ITextEmbedder? embedder,
        DocumentChunker chunker,
        IDocumentLocks locks,
        IngestionRuns runs,
        RagMetrics metrics,
        IOptions<RagOptions> options,
        ILogger<IngestionPipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_store, _vectorIndex, _embedder, _locks, _runs, _metrics) = (store, vectorIndex, embedder, locks, runs, metrics);
        _options = options.Value.Ingestion;
        _log = new IngestionLog(logger);
        var indexes = new DocumentIndexes(lexicalIndex, vectorIndex, _log);
        IIngestionStep[] embedding = embedder is null ? [] : [new EmbedStep(store, indexes, embedder, _options, metrics, _log), new IndexVectorsStep(vectorIndex, embedder)];
        // Parsing, chunking and the text's write run under the documents' locks, as a delete does; the steps after
        // check that each document is still there instead.
        _underLocks = [new ParseStep(store), new ChunkStep(chunker), new StoreTextStep(store, indexes, embedder is not null)];
        _afterLocks = [.. embedding, new IndexLexicalStep(lexicalIndex), new MarkReadyStep(store, indexes, metrics, _log)];
        _backfill = embedding;
    }

    /// <summary>Runs ingestion for the document; returns at once if it is gone or already final, and throws what a retry may fix.</summary>
    public async Task RunAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        var failures = await RunGroupAsync(collection, [documentId], cancellationToken);
        if (failures.Count > 0)
            ExceptionDispatchInfo.Throw(failures[0].Error);
    }

    /// <summary>
    /// Runs ingestion for a group of documents of one collection: under the group's locks, each is parsed and chunked
    /// in turn within its own time limit and their texts and chunks are stored in one transaction; then all are
    /// embedded together (the encoder batches across them), indexed in one commit each, and become ready together.
    /// A document that fails does not stop the others: the failures a retry may fix come back (documents that cannot
    /// be read are already failed, with their reason, and are not among them).
    /// </summary>
    public async Task<IReadOnlyList<IngestionFailure>> RunGroupAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        IngestionGroup group;
        await using (await _locks.AcquireManyAsync(collection, documentIds, cancellationToken))
        {
            group = await LoadAsync(collection, documentIds, cancellationToken);
            try
            {
                await RunStepsAsync(group, _underLocks, cancellationToken);
            }
            catch
            {
                group.Close();
                throw;
            }
        }

        try
        {
            await RunStepsAsync(group, _afterLocks, cancellationToken);
            return group.Failures;
        }
        finally
        {
            group.Close();
        }
    }

    /// <summary>
    /// Gives a ready document vectors from the configured encoder if it has none from it (an encoder configured after
    /// the document was ingested, or a different one), or none for its units (ingested by a version that did not
    /// store them): the embed and index_vectors steps over its stored chunks. Returns whether it embedded anything.
    /// </summary>
    public async Task<bool> EnsureVectorsAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        if (_embedder is null)
            return false;
        await using var held = await _locks.AcquireAsync(collection, documentId, cancellationToken);
        var document = await _store.GetAsync(collection, documentId, cancellationToken);
        if (document is not { State: DocumentState.Ready } || (await _vectorIndex.ContainsAsync(collection, documentId, _embedder.ModelId, cancellationToken)
                && (!_options.UnitVectors || await _vectorIndex.HasUnitsAsync(collection, documentId, _embedder.ModelId, cancellationToken))))
            return false;
        var chunks = await _store.GetDocumentChunksAsync(collection, documentId, cancellationToken);
        var group = new IngestionGroup(collection, [Take(document, null, cancellationToken, span: false)], reportsProgress: false, _log, _options.MaxDocumentTime);
        group.Documents[0].Chunks = chunks;
        group.Documents[0].Stored = true;
        try
        {
            await RunStepsAsync(group, _backfill, cancellationToken);
            if (group.Failures.Count > 0)
                ExceptionDispatchInfo.Throw(group.Failures[0].Error);
            return group.Documents.Count > 0;
        }
        finally
        {
            group.Close();
        }
    }

    /// <summary>Ends the document as failed (used when retries of an unexpected error are exhausted).</summary>
    public async Task MarkFailedAsync(string collection, string documentId, string reason, CancellationToken cancellationToken)
    {
        var document = await _store.GetAsync(collection, documentId, cancellationToken);
        if (document is null || document.IsFinal)
            return;
        await _store.UpdateStateAsync(collection, documentId, DocumentState.Failed, 1.0, reason, cancellationToken);
        _metrics.DocumentIngested("failed", document.SizeBytes, TimeSpan.Zero);
    }

    /// <summary>
    /// The group's documents that exist and are not final, with their bytes, in one read. A document whose text and
    /// chunks an earlier run stored (it was indexing when that run stopped) resumes after <c>store_text</c>.
    /// </summary>
    private async Task<IngestionGroup> LoadAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken)
    {
        var loaded = (await _store.GetManyAsync(collection, documentIds, DocumentParts.Content | DocumentParts.Text, cancellationToken))
            .ToDictionary(k => k.Document.Id, StringComparer.Ordinal);
        var documents = new List<GroupDocument>();
        foreach (var id in documentIds.Distinct(StringComparer.Ordinal))
        {
            if (!loaded.TryGetValue(id, out var found))
            {
                _log.Gone(collection, id);
                continue;
            }

            if (found.Document.IsFinal)
                continue;
            var document = Take(found.Document, found.Content, cancellationToken, span: true);
            if (found.Document is { State: DocumentState.Indexing, ChunkCount: > 0 } && found.Text is { } text)
            {
                document.Text = text;
                document.Chunks = await _store.GetDocumentChunksAsync(collection, id, cancellationToken);
                document.Stored = document.Chunks.Count > 0;
                if (!document.Stored)
                    document.Chunks = null;
            }

            documents.Add(document);
        }

        return new IngestionGroup(collection, documents, reportsProgress: documentIds.Count == 1, _log, _options.MaxDocumentTime);
    }

    /// <summary>A document taken into a run: registered so a delete stops it, limited to Rag:Ingestion:MaxDocumentTime, with its span.</summary>
    private GroupDocument Take(DocumentRecord document, byte[]? content, CancellationToken cancellationToken, bool span)
    {
        var trace = span ? Contracts.RagTracing.Start("rag.ingest") : null;
        trace?.SetTag("rag.collection", document.Collection).SetTag("rag.document.id", document.Id)
            .SetTag("rag.document.kind", document.Kind).SetTag("rag.document.bytes", document.SizeBytes);
        return new GroupDocument(document, content, _runs.Begin(document.Collection, document.Id, cancellationToken, _options.MaxDocumentTime), trace);
    }

    /// <summary>
    /// Runs the steps in order over the documents still in the group. A step over the whole group that fails takes
    /// every document out with its error (the group is retried); one stopped by a document's delete or time limit
    /// takes that document out and runs again for the rest. Documents a step found unreadable are failed, with their
    /// reasons, in one write after it.
    /// </summary>
    private async Task RunStepsAsync(IngestionGroup group, IIngestionStep[] steps, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            while (group.Documents.Count > 0)
            {
                using var stops = CancellationTokenSource.CreateLinkedTokenSource([cancellationToken, .. group.Documents.Select(d => d.Run.Token)]);
                try
                {
                    await step.RunAsync(group, stops.Token);
                    break;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && group.Documents.Any(d => d.Run.Token.IsCancellationRequested))
                {
                    foreach (var stopped in group.Documents.Where(d => d.Run.Token.IsCancellationRequested).ToList())
                        group.EndStopped(stopped);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    group.FailAll(e);
                }
                finally
                {
                    await EndUnreadableAsync(group);
                }
            }
        }
    }

    private async Task EndUnreadableAsync(IngestionGroup group)
    {
        if (!group.HasUnreadable)
            return;
        var ended = group.TakeUnreadable();
        foreach (var (document, reason) in ended)
        {
            _log.Unreadable(group.Collection, document.Record.Id, reason);
            _metrics.DocumentIngested("failed", document.Record.SizeBytes, document.Clock.Elapsed);
        }

        await _store.UpdateStatesAsync(group.Collection, [.. ended.Select(e => new StateChange(e.Document.Record.Id, DocumentState.Failed, 1.0, e.Reason))], CancellationToken.None);
    }
}
