using System.Diagnostics;
using Rag.Engine.Diagnostics;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;

namespace Rag.Engine.Search;

/// <summary>Lexical (BM25) search over a collection's chunks, read back from the document store.</summary>
public sealed class SearchService(ILexicalIndex lexicalIndex, IDocumentStore store, RagMetrics metrics)
{
    /// <summary>The best chunks for the query, best first.</summary>
    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string collection, SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var started = Stopwatch.GetTimestamp();
        var hits = lexicalIndex.Search(collection, query.Query, query.TopK, query.Tags);
        var chunks = await store.GetChunksAsync(collection, hits.Select(h => (h.DocumentId, h.ChunkIndex)).ToList(), cancellationToken);
        var scores = hits.ToDictionary(h => (h.DocumentId, h.ChunkIndex), h => h.Score);
        var results = chunks
            .Select(c => new SearchResult(
                c.DocumentId,
                c.ChunkId,
                c.Chunk.Text,
                Math.Round(scores[(c.DocumentId, c.Chunk.Index)], 4),
                c.Chunk.Start,
                c.Chunk.End,
                c.Chunk.TokenCount,
                c.Chunk.Section))
            .ToList();
        metrics.Searched(Stopwatch.GetElapsedTime(started));
        return results;
    }
}
