namespace Rag.Engine.Ingestion;

/// <summary>Serialises work on one document (an ingestion run and a delete, or two runs of the same job).</summary>
public interface IDocumentLocks
{
    /// <summary>Waits for the document's lock; dispose the result to release it.</summary>
    Task<IAsyncDisposable> AcquireAsync(string collection, string documentId, CancellationToken cancellationToken);
}
