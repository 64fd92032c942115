using Hangfire.Common;
using Hangfire.States;
using Rag.Engine.Ingestion;

namespace Rag.Api.Jobs;

/// <summary>
/// When an ingestion job has used up its retries, ends its document as failed, so that no
/// document waits forever. Runs after Hangfire's AutomaticRetry filter (order 20), which turns a
/// failure into a scheduled retry while attempts remain.
/// </summary>
internal sealed partial class IngestionFailureFilter : JobFilterAttribute, IElectStateFilter
{
    private readonly IServiceProvider _services;
    private readonly ILogger<IngestionFailureFilter> _logger;

    public IngestionFailureFilter(IServiceProvider services, ILogger<IngestionFailureFilter> logger)
    {
        _services = services;
        _logger = logger;
        Order = 30; // after AutomaticRetry (20)
    }

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is not FailedState failed || context.BackgroundJob.Job?.Type != typeof(IngestionJob))
            return;

        var collection = (string)context.BackgroundJob.Job.Args[0];
        // A single document, or a batch's group (whose finished documents stay as they are).
        var documentIds = context.BackgroundJob.Job.Args[1] switch
        {
            string one => [one],
            string[] group => group,
            _ => [],
        };
        var reason = $"Ingestion failed because of an internal error and was retried without success; the service log has the details (job {context.BackgroundJob.Id}).";
        var pipeline = _services.GetRequiredService<IngestionPipeline>();
        foreach (var documentId in documentIds)
        {
            LogGaveUp(failed.Exception, collection, documentId, context.BackgroundJob.Id);
            // Hangfire's filters are synchronous; this runs on a worker thread with no synchronisation context.
            pipeline.MarkFailedAsync(collection, documentId, reason, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [LoggerMessage(EventId = ApiLogEvents.IngestionGivenUp, Level = LogLevel.Error, Message = "Giving up on ingestion of {Collection}/{DocumentId} (job {JobId})")]
    private partial void LogGaveUp(Exception exception, string collection, string documentId, string jobId);
}
