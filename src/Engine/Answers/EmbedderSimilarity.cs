using System.Numerics.Tensors;
using Rag.Compression.Ports;
using Rag.Engine.Models;

namespace Rag.Engine.Answers;

/// <summary>Sentence relevance from the encoder: the question embedded as a query, sentences as passages, compared by dot product of unit vectors.</summary>
internal sealed class EmbedderSimilarity(OnnxEmbedder embedder, double weight) : ISentenceSimilarity
{
    public double Weight => weight;

    public async Task<float[]> SimilarityAsync(string question, IReadOnlyList<string> sentences, CancellationToken cancellationToken)
    {
        var query = EmbedQueryAsync(question, cancellationToken);
        var vectors = await embedder.EmbedAsync(sentences, cancellationToken);
        var q = (await query).Vector;
        return [.. vectors.Select(v => TensorPrimitives.Dot(q, v.Vector))];
    }

    private async Task<Rag.Retrieval.Vectors.Embedding> EmbedQueryAsync(string question, CancellationToken cancellationToken) =>
        (await embedder.EmbedQueriesAsync([question], cancellationToken))[0];
}
