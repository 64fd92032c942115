namespace Rag.Retrieval.Stores;

/// <summary>A document's metadata and ingestion status.</summary>
public sealed record DocumentRecord(
    string Collection,
    string Id,
    string ContentHash,
    string? Title,
    string? FileName,
    string Kind,
    IReadOnlyList<string> Tags,
    long SizeBytes,
    DocumentState State,
    double Progress,
    string? Error,
    int ChunkCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>True once ingestion has ended, well or badly.</summary>
    public bool IsFinal => State is DocumentState.Ready or DocumentState.Failed;
}
