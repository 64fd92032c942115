namespace Rag.Engine.Ingestion;

/// <summary>
/// Schedules <see cref="IngestionPipeline.RunAsync"/> for a document. The host implements it
/// (Hangfire in the service). Only a pointer is queued: the document is already stored.
/// </summary>
public interface IIngestionQueue
{
    /// <summary>Queues ingestion of the document; its size picks the lane (small documents never wait behind large ones).</summary>
    void Enqueue(string collection, string documentId, long sizeBytes);
}
