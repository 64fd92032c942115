using System.ComponentModel;
using Rag.Contracts;
using Rag.Engine.Ingestion;

namespace Rag.Api.Jobs;

/// <summary>The Hangfire job that ingests one document. Its arguments are only a pointer to the stored document.</summary>
public sealed partial class IngestionJob(IngestionPipeline pipeline, ILogger<IngestionJob> logger)
{
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
            await pipeline.MarkFailedAsync(collection, documentId,
                "Ingestion failed because of an error that trying again cannot fix; the service log has the details.", CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = ApiLogEvents.IngestionFailedPermanently, Level = LogLevel.Error, Message = "Ingestion of {Collection}/{DocumentId} failed with an error that a retry cannot fix")]
    private partial void LogPermanent(Exception exception, string collection, string documentId);
}
