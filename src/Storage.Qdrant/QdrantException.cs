using Grpc.Core;

namespace Rag.Storage.Qdrant;

/// <summary>
/// Qdrant refused a call, or could not be reached after every attempt. Transient (the document is
/// retried later) for Unavailable, ResourceExhausted, DeadlineExceeded and Aborted; permanent (the
/// document fails with this message as its reason) otherwise.
/// </summary>
public sealed class QdrantException(StatusCode statusCode, string message, Exception? innerException = null)
    : Rag.Contracts.RagException(message, IsTransientStatus(statusCode), innerException)
{
    /// <inheritdoc/>
    /// <remarks>Names the store and the status, not Qdrant's words (those are in the service log).</remarks>
    public override string Reason => IsTransient
        ? $"Qdrant, the vector store, did not answer ({StatusCode}) after every attempt; the service log has the details."
        : $"Qdrant, the vector store, refused the document's vectors ({StatusCode}); an operator can read Qdrant's words in the service log.";

    /// <summary>The gRPC status Qdrant (or the channel) answered.</summary>
    public StatusCode StatusCode { get; } = statusCode;

    /// <summary>Whether a call that ended with <paramref name="status"/> may succeed if tried again.</summary>
    public static bool IsTransientStatus(StatusCode status) =>
        status is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded or StatusCode.Aborted;
}
