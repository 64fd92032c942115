using System.ComponentModel;
using Rag.Contracts;
using Rag.Engine.Ingestion;

namespace Rag.Api.Jobs;

/// <summary>The Hangfire job that ingests one document. Its arguments are only a pointer to the stored document.</summary>
public sealed partial class IngestionJob(IngestionPipeline pipeline, ILogger<IngestionJob> logger)
{
    private const string PermanentReason = "Ingestion failed because of an error that trying again cannot fix; the service log has the details.";

    [DisplayName("Ingest {0}/{1}")]
    public async Task RunAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.RunAsync(collection, documentId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && Transience.IsPermanent(e))
        {
            // The error says a retry cannot help: end the document now rather than after every attempt.
            LogPermanent(e, collection, documentId);
            await pipeline.MarkFailedAsync(collection, documentId, Transience.ReasonOf(e) ?? PermanentReason, CancellationToken.None);
        }
    }

    /// <summary>
    /// Ingests a group of documents of a batch (one lexical commit for the group). A document whose error a retry
    /// cannot fix fails at once; any other failure fails the group so Hangfire retries it, and its finished
    /// documents return at once then.
    /// </summary>
    [DisplayName("Ingest a group of documents in {0}")]
    public async Task RunGroupAsync(string collection, string[] documentIds, CancellationToken cancellationToken)
    {
        var failures = await pipeline.RunGroupAsync(collection, documentIds, cancellationToken);
        var retry = new List<Exception>();
        foreach (var (documentId, error) in failures)
        {
            if (Transience.IsPermanent(error))
            {
                LogPermanent(error, collection, documentId);
                await pipeline.MarkFailedAsync(collection, documentId, Transience.ReasonOf(error) ?? PermanentReason, CancellationToken.None);
            }
            else
            {
                retry.Add(error);
            }
        }

        if (retry.Count > 0)
            throw new AggregateException($"{retry.Count} of {documentIds.Length} documents of the group failed; the group is retried.", retry);
    }

    [LoggerMessage(EventId = ApiLogEvents.IngestionFailedPermanently, Level = LogLevel.Error, Message = "Ingestion of {Collection}/{DocumentId} failed with an error that a retry cannot fix")]
    private partial void LogPermanent(Exception exception, string collection, string documentId);
}
