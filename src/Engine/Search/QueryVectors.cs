using System.Collections.Concurrent;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Search;

/// <summary>
/// The query vectors of recent searches, so a repeated question costs no encoder pass. Keyed by scope, model and text:
/// a scope is one caller (an API key), so a hit — or the time it saves — says nothing about what another tenant asked,
/// and a vector from one model is never answered for another. At most <c>capacity</c> vectors (384 floats each: the
/// default 10,000 hold about 15 MB); the oldest go first. A query without a scope is embedded and not kept.
/// </summary>
public sealed class QueryVectors(ITextEmbedder embedder, int capacity = 10_000)
{
    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private long _hits;

    /// <summary>Vectors held now.</summary>
    public int Count => _vectors.Count;

    /// <summary>Queries answered from memory so far.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>The query's vector: from memory for a repeat in the same scope and model, else from the encoder (and kept).</summary>
    public async Task<float[]> GetAsync(string query, string? scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (scope is null || capacity <= 0)
            return (await embedder.EmbedQueriesAsync([query], cancellationToken))[0].Vector;
        var key = string.Concat(scope, "\u0001", embedder.ModelId, "\u0001", query);
        if (_vectors.TryGetValue(key, out var known))
        {
            Interlocked.Increment(ref _hits);
            return known;
        }

        var vector = (await embedder.EmbedQueriesAsync([query], cancellationToken))[0].Vector;
        if (_vectors.TryAdd(key, vector))
        {
            _order.Enqueue(key);
            while (_vectors.Count > capacity && _order.TryDequeue(out var oldest))
                _vectors.TryRemove(oldest, out _);
        }

        return vector;
    }
}
