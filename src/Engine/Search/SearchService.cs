using System.Diagnostics;
using Rag.Engine.Diagnostics;
using Rag.Engine.Models;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Search;

/// <summary>
/// Search over a collection's chunks: lexical (BM25), dense (embeddings) or hybrid (both, fused by
/// reciprocal rank). Hits are read back from the document store, the source of truth, so an index
/// entry whose document is gone is never served.
/// </summary>
public sealed class SearchService(ILexicalIndex lexicalIndex, IVectorIndex vectorIndex, IDocumentStore store, ModelHost models, RagMetrics metrics)
{
    /// <summary>Candidates each ranker contributes to a hybrid search, at least.</summary>
    internal const int HybridCandidates = 50;

    /// <summary>The mode a query without one gets.</summary>
    public SearchMode DefaultMode => models.Embedder is null ? SearchMode.Lexical : SearchMode.Hybrid;

    /// <summary>Whether <paramref name="mode"/> can run here (dense and hybrid need an embedder).</summary>
    public bool Supports(SearchMode mode) => mode == SearchMode.Lexical || models.Embedder is not null;

    /// <summary>The best chunks for the query, best first.</summary>
    public async Task<SearchOutcome> SearchAsync(string collection, SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var mode = query.Mode ?? DefaultMode;
        if (!Supports(mode))
            throw new InvalidOperationException($"Search mode {mode} needs an embedder (Rag:Models:Embedder:Path).");
        var started = Stopwatch.GetTimestamp();

        List<((string DocumentId, int ChunkIndex) Key, double Score)> ranked;
        switch (mode)
        {
            case SearchMode.Lexical:
                ranked = [.. (await lexicalIndex.SearchAsync(collection, query.Query, query.TopK, query.Tags, cancellationToken)).Select(h => ((h.DocumentId, h.ChunkIndex), (double)h.Score))];
                break;
            case SearchMode.Dense:
                ranked = [.. (await DenseAsync(collection, query, query.TopK, cancellationToken)).Select(h => ((h.DocumentId, h.ChunkIndex), (double)h.Score))];
                break;
            default:
                var candidates = Math.Max(query.TopK, HybridCandidates);
                var lexical = (await lexicalIndex.SearchAsync(collection, query.Query, candidates, query.Tags, cancellationToken)).Select(h => (h.DocumentId, h.ChunkIndex)).ToList();
                var dense = (await DenseAsync(collection, query, candidates, cancellationToken)).Select(h => (h.DocumentId, h.ChunkIndex)).ToList();
                ranked = [.. ReciprocalRankFusion.Fuse([lexical, dense], query.TopK)];
                break;
        }

        var chunks = await store.GetChunksAsync(collection, ranked.Select(r => r.Key).ToList(), cancellationToken);
        var scores = ranked.ToDictionary(r => r.Key, r => r.Score);
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
        metrics.Searched(mode, Stopwatch.GetElapsedTime(started));
        return new SearchOutcome(mode, results);
    }

    private async Task<IReadOnlyList<VectorHit>> DenseAsync(string collection, SearchQuery query, int topK, CancellationToken cancellationToken)
    {
        var embedder = models.Embedder!;
        var vector = (await embedder.EmbedAsync([query.Query], cancellationToken))[0].Vector;
        return await vectorIndex.SearchAsync(collection, vector, embedder.ModelId, topK, query.Tags, cancellationToken);
    }
}

/// <summary>The mode that ran and its results, best first.</summary>
public sealed record SearchOutcome(SearchMode Mode, IReadOnlyList<SearchResult> Results);
