using Rag.Retrieval.Chunking;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Rag.Engine.Configuration;
using Rag.Engine.Diagnostics;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Search;

/// <summary>
/// Search over a collection's chunks: lexical (BM25), dense (the chunks' vectors) or hybrid (fused by a weighted
/// convex combination of normalised scores — BM25, the chunk's vector and, with a unit share, the chunk's best unit
/// by max-sim over its stored unit vectors — or weighted reciprocal rank of the first two; <c>Rag:Search</c>).
/// Hits are read back from the document store, the source of truth, so an index entry whose document
/// is gone is never served.
/// </summary>
public sealed class SearchService(ILexicalIndex lexicalIndex, IVectorIndex vectorIndex, IDocumentStore store, ITextEmbedder? embedder, IOptions<RagOptions> options, RagMetrics metrics)
{
    private readonly SearchOptions _options = options.Value.Search;
    private readonly QueryVectors? _queryVectors = embedder is null ? null : new QueryVectors(embedder, options.Value.Search.QueryVectors);

    /// <summary>Query vectors kept for repeats (null without an embedder).</summary>
    internal QueryVectors? QueryVectors => _queryVectors;

    /// <summary>The mode a query without one gets.</summary>
    public SearchMode DefaultMode => embedder is null ? SearchMode.Lexical : SearchMode.Hybrid;

    /// <summary>Whether <paramref name="mode"/> can run here (dense and hybrid need an embedder).</summary>
    public bool Supports(SearchMode mode) => mode == SearchMode.Lexical || embedder is not null;

    /// <summary>The dense list's weight in hybrid search: configured, else the encoder's fitted weight, else 0.5.</summary>
    public double DenseWeight => _options.DenseWeight ?? embedder?.HybridDenseWeight ?? 0.5;

    /// <summary>How much BM25's confidence lowers the dense weight per query: configured, else the encoder's fitted value, else 0.</summary>
    public double LexicalGapWeight => _options.LexicalGapWeight ?? embedder?.HybridLexicalGapWeight ?? 0;

    /// <summary>The share of the dense weight a chunk's best unit gets in hybrid search: configured, else the encoder's fitted share, else 0.</summary>
    public double UnitShare => _options.UnitShare ?? embedder?.HybridUnitShare ?? 0;

    /// <summary>The best chunks for the query, best first.</summary>
    public async Task<SearchOutcome> SearchAsync(string collection, SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var mode = query.Mode ?? DefaultMode;
        if (!Supports(mode))
            throw new InvalidOperationException($"Search mode {mode} needs an embedder (Rag:Models:Embedder).");
        var started = Stopwatch.GetTimestamp();
        using var span = Contracts.RagTracing.Start("rag.retrieve");
        span?.SetTag("rag.collection", collection).SetTag("rag.search.mode", mode.ToString().ToLowerInvariant()).SetTag("rag.top_k", query.TopK);

        IReadOnlyList<(ChunkRef Key, double Score)> ranked;
        float[]? vector = null;
        switch (mode)
        {
            case SearchMode.Lexical:
                ranked = await LexicalAsync(collection, query, query.TopK, cancellationToken);
                break;
            case SearchMode.Dense:
            {
                // The dense part of the hybrid: the chunks' vectors and their best units by the unit share.
                vector = await _queryVectors!.GetAsync(query.Query, query.Scope, cancellationToken);
                var (dense, units) = await VectorListsAsync(collection, query, vector, UnitShare > 0 ? Math.Max(query.TopK, _options.HybridCandidates) : query.TopK, cancellationToken);
                ranked = units.Count == 0 ? [.. dense.Take(query.TopK)]
                    : dense.Count == 0 ? [.. units.Take(query.TopK)]
                    : ConvexFusion.Fuse([], dense, units, 1.0, UnitShare, query.TopK);
                break;
            }

            default:
            {
                var candidates = Math.Max(query.TopK, _options.HybridCandidates);
                var lexical = LexicalAsync(collection, query, candidates, cancellationToken);
                vector = await _queryVectors!.GetAsync(query.Query, query.Scope, cancellationToken);
                var (dense, units) = await VectorListsAsync(collection, query, vector, candidates, cancellationToken);
                ranked = Fuse(await lexical, dense, query.TopK, units);
                break;
            }
        }

        var chunks = await store.GetChunksAsync(collection, ranked.Select(r => r.Key).ToList(), cancellationToken);
        var scores = ranked.ToDictionary(r => r.Key, r => r.Score);
        var titles = (await store.GetManyAsync(collection, [.. chunks.Select(c => c.DocumentId).Distinct()], DocumentParts.None, cancellationToken))
            .ToDictionary(d => d.Document.Id, d => d.Document.Title, StringComparer.Ordinal);
        var results = chunks
            .Select(c => new SearchResult(
                c.DocumentId,
                c.ChunkId,
                c.Chunk.Text,
                Math.Round(scores[c.Ref], 4),
                c.Chunk.Start,
                c.Chunk.End,
                c.Chunk.TokenCount,
                c.Chunk.Section,
                titles.GetValueOrDefault(c.DocumentId)))
            .ToList();
        metrics.Searched(mode, Stopwatch.GetElapsedTime(started));
        span?.SetTag("rag.chunks", results.Count).SetTag("rag.tokens", results.Sum(r => r.TokenCount));
        return new SearchOutcome(mode, results, vector);
    }

    /// <summary>Hybrid fusion of the two candidate lists as configured.</summary>
    /// <remarks><paramref name="units"/>: each chunk's best unit (max-sim), fused with the unit share of the dense weight (convex fusion only).</remarks>
    internal IReadOnlyList<(T Item, double Score)> Fuse<T>(IReadOnlyList<(T Item, double Score)> lexical, IReadOnlyList<(T Item, double Score)> dense, int topK,
        IReadOnlyList<(T Item, double Score)>? units = null)
        where T : notnull
    {
        var weight = DenseWeight;
        return _options.Fusion == FusionMethod.Rrf
            ? ReciprocalRankFusion.Fuse<T>([[.. lexical.Select(l => l.Item)], [.. dense.Select(d => d.Item)]], topK, weights: [1 - weight, weight])
            : ConvexFusion.Fuse(lexical, dense, units ?? [], weight, UnitShare, topK, LexicalGapWeight);
    }

    /// <summary>
    /// The chunks' own vectors' hits and their units' (max-sim, with a unit share and convex fusion). With a unit share of
    /// 1 the chunks' vectors are asked only when no unit answered (documents stored without units).
    /// </summary>
    private async Task<(IReadOnlyList<(ChunkRef Key, double Score)> Dense, IReadOnlyList<(ChunkRef Key, double Score)> Units)> VectorListsAsync(
        string collection, SearchQuery query, float[] vector, int topK, CancellationToken cancellationToken)
    {
        var units = UnitShare > 0 && _options.Fusion == FusionMethod.Convex ? await UnitsAsync(collection, query, vector, topK, cancellationToken) : [];
        var dense = UnitShare < 1 || units.Count == 0 ? await DenseAsync(collection, query, vector, topK, cancellationToken) : [];
        return (dense, units);
    }

    private async Task<IReadOnlyList<(ChunkRef Key, double Score)>> UnitsAsync(
        string collection, SearchQuery query, float[] vector, int topK, CancellationToken cancellationToken)
    {
        var hits = await vectorIndex.SearchUnitsAsync(collection, vector, embedder!.ModelId, topK, query.Tags, cancellationToken);
        return [.. hits.Select(h => (new ChunkRef(h.DocumentId, h.ChunkIndex), (double)h.Score))];
    }

    private async Task<IReadOnlyList<(ChunkRef Key, double Score)>> LexicalAsync(
        string collection, SearchQuery query, int topK, CancellationToken cancellationToken) =>
        [.. (await lexicalIndex.SearchAsync(collection, query.Query, topK, query.Tags, cancellationToken)).Select(h => (new ChunkRef(h.DocumentId, h.ChunkIndex), (double)h.Score))];

    private async Task<IReadOnlyList<(ChunkRef Key, double Score)>> DenseAsync(
        string collection, SearchQuery query, float[] vector, int topK, CancellationToken cancellationToken)
    {
        var hits = await vectorIndex.SearchAsync(collection, vector, embedder!.ModelId, topK, query.Tags, cancellationToken);
        return [.. hits.Select(h => (new ChunkRef(h.DocumentId, h.ChunkIndex), (double)h.Score))];
    }
}
