using Hangfire;
using Rag.Engine.Ingestion;

namespace Rag.Api.Jobs;

/// <summary>Queues ingestion as Hangfire jobs.</summary>
internal sealed class HangfireIngestionQueue(IBackgroundJobClient jobs) : IIngestionQueue
{
    public void Enqueue(string collection, string documentId) =>
        jobs.Enqueue<IngestionJob>(job => job.RunAsync(collection, documentId, CancellationToken.None));
}
