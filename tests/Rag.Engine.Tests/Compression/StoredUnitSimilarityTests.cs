using Rag.Compression.Ports;
using Rag.Engine.Compression;

namespace Rag.Engine.Tests.Compression;

/// <summary>How /ask scores a retrieved chunk's units from their stored vectors (pure arithmetic over given vectors).</summary>
public sealed class StoredUnitSimilarityTests
{
    [Fact]
    public async Task A_units_similarity_is_blended_with_its_chunks_and_a_unit_without_a_stored_vector_goes_to_the_encoder()
    {
        float[] query = [1, 0];
        var units = new Dictionary<string, float[]> { ["He was born in 1902."] = [0, 1], ["The bridge opened."] = [1, 0] };
        var contexts = new Dictionary<string, float[]> { ["He was born in 1902."] = [1, 0] }; // his paragraph is about the question
        var encoder = new FixedSimilarity(0.25f);
        var similarity = new StoredUnitSimilarity(encoder, (_, _) => Task.FromResult(query), "q", query, units, contexts);

        var scores = await similarity.SimilarityAsync("q", ["He was born in 1902.", "The bridge opened.", "Never stored."], "", CancellationToken.None);

        Assert.Equal(StoredUnitSimilarity.ContextWeight, scores[0], 5); // (1 − w)·0 + w·1
        Assert.Equal(1f, scores[1], 5);                                 // no context: its own similarity
        Assert.Equal(0.25f, scores[2], 5);
        Assert.Equal(1, similarity.Misses);
    }

    private sealed class FixedSimilarity(float value) : ISentenceSimilarity
    {
        public double Weight => 0.85;

        public Task<float[]> SimilarityAsync(string question, IReadOnlyList<string> sentences, string scope, CancellationToken cancellationToken) =>
            Task.FromResult(sentences.Select(_ => value).ToArray());

        public Task<float[]> HopSimilarityAsync(string question, string pivot, IReadOnlyList<string> sentences, string scope, CancellationToken cancellationToken) =>
            SimilarityAsync(question, sentences, scope, cancellationToken);
    }
}
