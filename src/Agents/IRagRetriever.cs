using Rag.Client;

namespace Rag.Agents;

/// <summary>
/// What the context provider and the tools call: a running service (<see cref="HttpRagRetriever"/>, over Rag.Client)
/// or Rag in this process (InProcessRagRetriever, in Rag.Agents.InProcess). Both speak Rag.Client's records.
/// </summary>
public interface IRagRetriever
{
    /// <summary>The chunks of a collection that best match the query, best first, with their spans and titles.</summary>
    Task<RagSearchResponse> SearchAsync(string collection, RagSearchRequest request, CancellationToken cancellationToken);

    /// <summary>Compresses the context items to the request's budget, with the kept spans of each.</summary>
    Task<RagCompressResponse> CompressAsync(RagCompressRequest request, CancellationToken cancellationToken);

    /// <summary>Answers a question from a collection, with numbered citations.</summary>
    Task<RagAnswer> AskAsync(string collection, RagAskRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// A link to a span of a document's parsed text: the service's chunks of the document with an RFC 5147 <c>#char=</c>
    /// fragment over HTTP, a <c>rag://</c> address in process.
    /// </summary>
    Uri Link(string collection, string documentId, int start, int end);
}
