using Hangfire;
using Rag.Engine.Ingestion;

namespace Rag.Api.Jobs;

/// <summary>
/// Queues ingestion as Hangfire jobs in two lanes: documents up to <c>Rag:Ingestion:SmallDocumentBytes</c>
/// go to <see cref="Small"/>, which every worker serves first and one worker serves alone; larger ones to
/// <see cref="Large"/>. However many large documents are queued, a small one waits for at most the
/// small documents ahead of it.
/// </summary>
internal sealed class HangfireIngestionQueue(IBackgroundJobClient jobs, IOptions<RagOptions> options) : IIngestionQueue
{
    public const string Small = "small";
    public const string Large = "large";

    public void Enqueue(string collection, string documentId, long sizeBytes) =>
        jobs.Enqueue<IngestionJob>(
            sizeBytes <= options.Value.Ingestion.SmallDocumentBytes ? Small : Large,
            job => job.RunAsync(collection, documentId, CancellationToken.None));
}
