using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;
using Rag.Engine.Diagnostics;

namespace Rag.Engine.Ingestion;

/// <summary>
/// The re-index job: after start, when an embedder is configured, gives every ready document that
/// has no vectors from this embedder (ingested before it was configured, or by another model)
/// its vectors, one document at a time, in the background. Search serves meanwhile: documents not
/// yet embedded are found by their words (hybrid search still has its lexical half).
/// </summary>
public sealed partial class VectorBackfill(IDocumentStore store, IngestionPipeline pipeline, ITextEmbedder? embedder, ILogger<VectorBackfill> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the number of documents embedded when the pass over all documents ends.</summary>
    public Task<int> Completion => _done.Task;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (embedder is null)
        {
            _done.TrySetResult(0);
            return;
        }

        await Task.Yield();
        var embedded = 0;
        try
        {
            await foreach (var document in store.AllInStateAsync(DocumentState.Ready, stoppingToken))
            {
                try
                {
                    if (await pipeline.EnsureVectorsAsync(document.Collection, document.Id, stoppingToken))
                        embedded++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(e, document.Collection, document.Id);
                }
            }

            if (embedded > 0)
                LogDone(embedded, embedder.ModelId);
            _done.TrySetResult(embedded);
        }
        catch (OperationCanceledException)
        {
            _done.TrySetCanceled(stoppingToken);
        }
    }

    [LoggerMessage(EventId = LogEvents.BackfillDone, Level = LogLevel.Information, Message = "Re-index: embedded {Count} documents that had no vectors from {ModelId}")]
    private partial void LogDone(int count, string modelId);

    [LoggerMessage(EventId = LogEvents.BackfillFailed, Level = LogLevel.Warning, Message = "Re-index: could not embed {Collection}/{DocumentId}; it stays searchable by its words and is retried at the next start")]
    private partial void LogFailed(Exception exception, string collection, string documentId);
}
