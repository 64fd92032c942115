namespace Rag.Engine.Ingestion;

/// <summary>
/// Schedules <see cref="IngestionPipeline.RunAsync"/> for a document. The host implements it
/// (Hangfire in the service). Only a pointer is queued: the document is already stored.
/// </summary>
public interface IIngestionQueue
{
    /// <summary>Queues ingestion of the document; its size picks the lane (small documents never wait behind large ones).</summary>
    void Enqueue(string collection, string documentId, long sizeBytes);

    /// <summary>
    /// Queues ingestion of several documents of one collection (a batch upload); a queue may run them as
    /// groups, one job per group, so its bookkeeping is per group rather than per document.
    /// </summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="documents">Each document's id and size, in upload order.</param>
    void EnqueueMany(string collection, IReadOnlyList<(string DocumentId, long SizeBytes)> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var (id, size) in documents)
            Enqueue(collection, id, size);
    }
}
