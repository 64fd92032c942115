namespace Rag.Retrieval.Stores;

/// <summary>
/// An accepted upload: the raw bytes are stored before the upload is acknowledged. <see cref="BatchId"/>: the batch
/// upload it came with; a document the upload creates is recorded as the batch's in the same transaction.
/// </summary>
public sealed record NewDocument(
    string Collection,
    string Id,
    string ContentHash,
    string? Title,
    string? FileName,
    string Kind,
    IReadOnlyList<string> Tags,
    ReadOnlyMemory<byte> Content,
    string? BatchId = null);
