namespace Rag.Retrieval.Stores;

/// <summary>An accepted upload: the raw bytes are stored before the upload is acknowledged.</summary>
public sealed record NewDocument(
    string Collection,
    string Id,
    string ContentHash,
    string? Title,
    string? FileName,
    string Kind,
    IReadOnlyList<string> Tags,
    ReadOnlyMemory<byte> Content);
