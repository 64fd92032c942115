namespace Rag.Retrieval.Stores;

/// <summary>Serialises work on one document (an ingestion run and a delete, or two runs of the same job).</summary>
public interface IDocumentLocks
{
    /// <summary>Waits for the document's lock; dispose the result to release it.</summary>
    Task<IAsyncDisposable> AcquireAsync(string collection, string documentId, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for the locks of several documents of a collection (a group of a batch), taken in one fixed order so
    /// two callers never wait on each other in a cycle; dispose the result to release them all.
    /// </summary>
    Task<IAsyncDisposable> AcquireManyAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken);
}
