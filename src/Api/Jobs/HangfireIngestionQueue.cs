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
        jobs.Enqueue<IngestionJob>(Lane(sizeBytes), job => job.RunAsync(collection, documentId, CancellationToken.None));

    /// <summary>
    /// Small documents: one job per group of <c>Rag:Ingestion:BatchGroupSize</c>, in upload order (their per-document
    /// costs are most of their work). Large documents: one job each, with their own progress.
    /// </summary>
    public void EnqueueMany(string collection, IReadOnlyList<(string DocumentId, long SizeBytes)> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var large in documents.Where(d => Lane(d.SizeBytes) == Large))
            Enqueue(collection, large.DocumentId, large.SizeBytes);
        foreach (var group in documents.Where(d => Lane(d.SizeBytes) == Small).Chunk(options.Value.Ingestion.BatchGroupSize))
        {
            if (group.Length == 1)
            {
                Enqueue(collection, group[0].DocumentId, group[0].SizeBytes);
                continue;
            }

            var ids = group.Select(d => d.DocumentId).ToArray();
            jobs.Enqueue<IngestionJob>(Small, job => job.RunGroupAsync(collection, ids, CancellationToken.None));
        }
    }

    private string Lane(long sizeBytes) => sizeBytes <= options.Value.Ingestion.SmallDocumentBytes ? Small : Large;
}
