namespace Rag.SemanticKernel;

/// <summary>
/// What the plugin calls: a running service (<see cref="HttpRagBackend"/>, over Rag.Client) or Rag in this
/// process (InProcessRagBackend, over Rag.Engine, in Rag.SemanticKernel.InProcess). Both answer the same way.
/// </summary>
public interface IRagBackend
{
    /// <summary>Answers <paramref name="question"/> from a collection, with numbered sources.</summary>
    Task<RagAskResult> AskAsync(string collection, string question, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken);

    /// <summary>The passages of a collection that best match <paramref name="query"/>, best first.</summary>
    Task<IReadOnlyList<RagSearchResult>> SearchAsync(string collection, string query, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken);

    /// <summary>Compresses <paramref name="text"/> to <paramref name="rate"/> of its tokens, keeping what answers <paramref name="question"/>.</summary>
    Task<RagCompressResult> CompressAsync(string text, string? question, double rate, string method, CancellationToken cancellationToken);

    /// <summary>Stores the text and ingests it; with <paramref name="wait"/>, returns once it is ready (or failed).</summary>
    Task<RagIngestResult> IngestAsync(string collection, string text, string? title, IReadOnlyList<string>? tags, bool wait, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the texts as one batch and ingests them (the service batches their work); with <paramref name="wait"/>,
    /// returns once each is ready or failed. One result per text, in order; a text the service refuses is
    /// <c>rejected</c> with the reason in <see cref="RagIngestResult.Error"/>.
    /// </summary>
    Task<IReadOnlyList<RagIngestResult>> IngestManyAsync(string collection, IReadOnlyList<string> texts, IReadOnlyList<string>? tags, bool wait, CancellationToken cancellationToken);

    /// <summary>
    /// A link to a span of a document's parsed text: over HTTP the service's chunks of the document with an RFC 5147
    /// <c>#char=</c> fragment; in process a <c>rag://</c> address.
    /// </summary>
    Uri Link(string collection, string documentId, int start, int end) => Rag.Client.RagLinks.InProcess(collection, documentId, start, end);
}
