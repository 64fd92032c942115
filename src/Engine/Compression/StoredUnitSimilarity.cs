using System.Numerics.Tensors;
using Rag.Compression.Ports;
using Rag.Text;

namespace Rag.Engine.Compression;

/// <summary>
/// Unit similarity for one question over retrieved chunks whose unit vectors were stored at
/// ingestion: the question's vector (from search) dotted with each stored unit vector — no encoder
/// pass. Another question (a second hop) is embedded by <paramref name="embedQuery"/>, and dotted with the
/// same stored vectors. A sentence without a stored vector (a document ingested before unit vectors)
/// goes to <paramref name="inner"/>, the encoder. With <paramref name="contexts"/> (each unit's chunk: the normalised
/// mean of its units' vectors), a unit's similarity is blended with its chunk's by <see cref="ContextWeight"/>: a unit
/// read alone ("He was born in 1902") says nothing of what its paragraph is about, which late chunking's vectors carried.
/// </summary>
internal sealed class StoredUnitSimilarity(
    ISentenceSimilarity inner, Func<string, CancellationToken, Task<float[]>> embedQuery, string question, float[] questionVector, IReadOnlyDictionary<string, float[]> units,
    IReadOnlyDictionary<string, float[]>? contexts = null)
    : ISentenceSimilarity
{
    /// <summary>The share of a unit's similarity that is its chunk's (chosen once, before measuring; docs/compression-results.md).</summary>
    public const float ContextWeight = 0.3f;

    public double Weight => inner.Weight;

    /// <summary>Sentences that had no stored vector and went to the encoder.</summary>
    public int Misses { get; private set; }

    public async Task<float[]> SimilarityAsync(string asked, IReadOnlyList<string> sentences, string scope, CancellationToken cancellationToken) =>
        await SimilarityAsync(
            asked, string.Equals(asked, question, StringComparison.Ordinal) ? questionVector : await embedQuery(asked, cancellationToken), sentences, scope, cancellationToken);

    private async Task<float[]> SimilarityAsync(string asked, float[] query, IReadOnlyList<string> sentences, string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var result = new float[sentences.Count];
        var missing = new List<int>();
        for (var i = 0; i < sentences.Count; i++)
        {
            if (units.TryGetValue(sentences[i], out var vector) && vector.Length == query.Length)
            {
                result[i] = TensorPrimitives.Dot(query, vector);
                if (contexts?.GetValueOrDefault(sentences[i]) is { } context && context.Length == query.Length)
                    result[i] = ((1 - ContextWeight) * result[i]) + (ContextWeight * TensorPrimitives.Dot(query, context));
            }
            else
                missing.Add(i);
        }

        if (missing.Count > 0)
        {
            Misses += missing.Count;
            var rest = await inner.SimilarityAsync(asked, [.. missing.Select(i => sentences[i])], scope, cancellationToken);
            for (var m = 0; m < missing.Count; m++)
                result[missing[m]] = rest[m];
        }

        return result;
    }
}
