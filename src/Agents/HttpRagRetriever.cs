using Rag.Client;

namespace Rag.Agents;

/// <summary>The retriever over a running Rag service.</summary>
/// <param name="client">The service's client.</param>
/// <param name="baseAddress">The service's address, for links (the client's HttpClient.BaseAddress).</param>
public sealed class HttpRagRetriever(RagClient client, Uri baseAddress) : IRagRetriever
{
    /// <inheritdoc/>
    public Task<RagSearchResponse> SearchAsync(string collection, RagSearchRequest request, CancellationToken cancellationToken) =>
        client.SearchAsync(collection, request, cancellationToken);

    /// <inheritdoc/>
    public Task<RagCompressResponse> CompressAsync(RagCompressRequest request, CancellationToken cancellationToken) =>
        client.CompressAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<RagAnswer> AskAsync(string collection, RagAskRequest request, CancellationToken cancellationToken) =>
        client.AskAsync(collection, request, cancellationToken);

    /// <inheritdoc/>
    public Uri Link(string collection, string documentId, int start, int end) =>
        RagLinks.Service(baseAddress, collection, documentId, start, end);
}

