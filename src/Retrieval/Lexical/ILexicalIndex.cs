using Rag.Retrieval.Chunking;

namespace Rag.Retrieval.Lexical;

/// <summary>A BM25 index over chunks, partitioned by collection.</summary>
public interface ILexicalIndex
{
    /// <summary>Replaces the document's entries with <paramref name="chunks"/> and makes them durable and searchable.</summary>
    Task IndexAsync(string collection, string documentId, IReadOnlyList<string> tags, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="IndexAsync"/> for several documents of a collection, durable and searchable together when it
    /// returns: an index whose durability costs per commit (Lucene's fsyncs) commits once for all of them.
    /// </summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="documents">The documents and their chunks.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task IndexManyAsync(string collection, IReadOnlyList<LexicalDocument> documents, CancellationToken cancellationToken);

    /// <summary>Removes every entry of the document.</summary>
    Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken);

    /// <summary><see cref="DeleteAsync"/> for several documents of a collection, in one commit where the index can.</summary>
    /// <param name="collection">The documents' collection.</param>
    /// <param name="documentIds">The documents.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task DeleteManyAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken);

    /// <summary>The best <paramref name="topK"/> chunks for <paramref name="query"/>; with tags, only chunks of documents that carry all of them.</summary>
    Task<IReadOnlyList<LexicalHit>> SearchAsync(string collection, string query, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken);
}
