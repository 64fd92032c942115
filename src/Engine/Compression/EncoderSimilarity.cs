using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Rag.Compression.Ports;
using Rag.Retrieval.Vectors;
using Rag.Text;

namespace Rag.Engine.Compression;

/// <summary>
/// Unit relevance from the encoder: the question embedded as a query, sentences as passages,
/// compared by dot product of unit vectors. Unit vectors are kept in memory per (scope, text) —
/// the same chunks retrieved for the next question cost no encoder pass — up to
/// <paramref name="capacity"/> vectors (the oldest go first). Scopes are tenants: one tenant's vectors
/// are never another's, so a hit (or the time it saves) says nothing across tenants.
/// </summary>
internal sealed class EncoderSimilarity(ITextEmbedder embedder, double weight, int capacity = 50_000) : ISentenceSimilarity
{
    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public double Weight => weight;

    /// <summary>Unit vectors held now.</summary>
    public int Count => _vectors.Count;

    public async Task<float[]> SimilarityAsync(string question, IReadOnlyList<string> sentences, string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var query = embedder.EmbedQueriesAsync([question], cancellationToken);
        var vectors = await VectorsAsync(sentences, scope, cancellationToken);
        var q = (await query)[0].Vector;
        return [.. vectors.Select(v => TensorPrimitives.Dot(q, v))];
    }

    /// <summary>Each sentence's vector: kept ones from memory, the others embedded (once per distinct text) and kept.</summary>
    private async Task<float[][]> VectorsAsync(IReadOnlyList<string> sentences, string scope, CancellationToken cancellationToken)
    {
        var keys = sentences.Select(s => $"{scope}\u0001{s}").ToList();
        var known = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var missing = new List<int>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (known.ContainsKey(keys[i]) || wanted.Contains(keys[i]))
                continue;
            if (_vectors.TryGetValue(keys[i], out var vector))
            {
                known[keys[i]] = vector;
            }
            else
            {
                missing.Add(i);
                wanted.Add(keys[i]);
            }
        }

        if (missing.Count > 0)
        {
            var vectors = await embedder.EmbedAsync([.. missing.Select(i => sentences[i])], cancellationToken);
            for (var m = 0; m < missing.Count; m++)
            {
                known[keys[missing[m]]] = vectors[m].Vector;
                Remember(keys[missing[m]], vectors[m].Vector);
            }
        }

        return [.. keys.Select(k => known[k])];
    }

    private void Remember(string key, float[] vector)
    {
        if (capacity <= 0 || !_vectors.TryAdd(key, vector))
            return;
        _order.Enqueue(key);
        while (_vectors.Count > capacity && _order.TryDequeue(out var oldest))
            _vectors.TryRemove(oldest, out _);
    }
}
