using System.Net;

namespace Rag.Storage.Qdrant;

/// <summary>Qdrant refused a request (after retries where the failure was transient); transient for 408, 429 and 5xx.</summary>
public sealed class QdrantException(HttpStatusCode statusCode, string message)
    : Rag.Contracts.RagException(message, (int)statusCode is 408 or 429 or >= 500)
{
    /// <summary>The status Qdrant answered.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;
}
