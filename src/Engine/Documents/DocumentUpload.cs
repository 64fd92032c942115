using Rag.Retrieval.Parsing;

namespace Rag.Engine.Documents;

/// <summary>A document to ingest, as received.</summary>
public sealed record DocumentUpload(
    string Collection,
    ReadOnlyMemory<byte> Content,
    DocumentKind Kind,
    string? FileName,
    string? Title,
    IReadOnlyList<string> Tags);
