namespace Rag.Retrieval.Stores;

/// <summary>Where a document is in ingestion. Ready and Failed are final.</summary>
public enum DocumentState
{
    /// <summary>Accepted and stored; waiting for a worker.</summary>
    Queued,

    /// <summary>Text is being extracted and chunked.</summary>
    Parsing,

    /// <summary>Chunks are being written to the store and the indexes.</summary>
    Indexing,

    /// <summary>Searchable.</summary>
    Ready,

    /// <summary>Ingestion gave up; <see cref="DocumentRecord.Error"/> says why.</summary>
    Failed,
}
