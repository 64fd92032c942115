using Rag.Retrieval.Stores;

namespace Rag.Api.Payloads;

/// <summary>A document and where its ingestion stands.</summary>
public sealed record DocumentResponse(
    string Id,
    string Collection,
    string? Title,
    string? FileName,
    string Kind,
    IReadOnlyList<string> Tags,
    long SizeBytes,
    string ContentHash,
    DocumentState State,
    double Progress,
    string? Error,
    int ChunkCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string StatusUrl,
    bool Duplicate)
{
    public static DocumentResponse From(DocumentRecord document, bool duplicate = false)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new(
            document.Id,
            document.Collection,
            document.Title,
            document.FileName,
            document.Kind,
            document.Tags,
            document.SizeBytes,
            document.ContentHash,
            document.State,
            Math.Round(document.Progress, 2),
            document.Error,
            document.ChunkCount,
            document.CreatedAt,
            document.UpdatedAt,
            StatusUrlOf(document.Collection, document.Id),
            duplicate);
    }

    public static string StatusUrlOf(string collection, string id) => $"/v1/collections/{collection}/documents/{id}";
}
