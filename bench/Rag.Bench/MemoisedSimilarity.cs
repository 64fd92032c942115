using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Rag.Compression.Ports;
using Rag.Engine.Models;

namespace Rag.Bench;

/// <summary>
/// Sentence similarity from the encoder with every vector kept for the run: each sentence is embedded
/// once, however many questions and ratios it meets (what ingestion-time unit vectors give the service).
/// </summary>
internal sealed class MemoisedSimilarity(OnnxEmbedder embedder, double weight) : ISentenceSimilarity
{
    private readonly ConcurrentDictionary<string, float[]> _passages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, float[]> _queries = new(StringComparer.Ordinal);

    public double Weight => weight;

    public async Task<float[]> SimilarityAsync(string question, IReadOnlyList<string> sentences, CancellationToken cancellationToken)
    {
        if (!_queries.TryGetValue(question, out var query))
            _queries[question] = query = (await embedder.EmbedQueriesAsync([question], cancellationToken))[0].Vector;
        var missing = sentences.Where(s => !_passages.ContainsKey(s)).Distinct().ToList();
        if (missing.Count > 0)
        {
            var vectors = await embedder.EmbedAsync(missing, cancellationToken);
            for (var i = 0; i < missing.Count; i++)
                _passages[missing[i]] = vectors[i].Vector;
        }

        return [.. sentences.Select(s => TensorPrimitives.Dot(query, _passages[s]))];
    }
}
