using Hangfire;
using Rag.Engine.Ingestion;

namespace Rag.Api.Jobs;

/// <summary>
/// Queues ingestion as Hangfire jobs in three lanes, each served first by every worker and alone by one of its own
/// (the last by none): a document uploaded on its own up to <c>Rag:Ingestion:InteractiveDocumentBytes</c> goes to
/// <see cref="Interactive"/>; others up to <c>Rag:Ingestion:SmallDocumentBytes</c> (a batch's groups) to
/// <see cref="Small"/>; larger ones to <see cref="Large"/>. A single small upload waits only for the uploads like it
/// ahead of it — never behind a batch of thousands or a 40 MB document.
/// </summary>
internal sealed class HangfireIngestionQueue(IBackgroundJobClient jobs, IOptions<RagOptions> options) : IIngestionQueue
{
    public const string Interactive = "interactive";
    public const string Small = "small";
    public const string Large = "large";

    public void Enqueue(string collection, string documentId, long sizeBytes) =>
        EnqueueOne(collection, documentId, sizeBytes <= options.Value.Ingestion.InteractiveDocumentBytes ? Interactive : Lane(sizeBytes));

    /// <summary>
    /// Small documents: one job per group of <c>Rag:Ingestion:BatchGroupSize</c>, in upload order (their per-document
    /// costs are most of their work). Large documents: one job each, with their own progress.
    /// </summary>
    public void EnqueueMany(string collection, IReadOnlyList<(string DocumentId, long SizeBytes)> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var large in documents.Where(d => Lane(d.SizeBytes) == Large))
            EnqueueOne(collection, large.DocumentId, Large);
        foreach (var group in documents.Where(d => Lane(d.SizeBytes) == Small).Chunk(options.Value.Ingestion.BatchGroupSize))
        {
            if (group.Length == 1)
            {
                EnqueueOne(collection, group[0].DocumentId, Small);
                continue;
            }

            var ids = group.Select(d => d.DocumentId).ToArray();
            jobs.Enqueue<IngestionJob>(Small, job => job.RunGroupAsync(collection, ids, CancellationToken.None));
        }
    }

    private void EnqueueOne(string collection, string documentId, string lane) =>
        jobs.Enqueue<IngestionJob>(lane, job => job.RunAsync(collection, documentId, CancellationToken.None));

    private string Lane(long sizeBytes) => sizeBytes <= options.Value.Ingestion.SmallDocumentBytes ? Small : Large;
}
