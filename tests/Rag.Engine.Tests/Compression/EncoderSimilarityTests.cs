using Rag.Engine.Compression;
using Rag.Engine.Tests.Models;
using Rag.Text;

namespace Rag.Engine.Tests.Compression;

public sealed class EncoderSimilarityTests(FixtureModels models) : IClassFixture<FixtureModels>
{
    private static readonly string[] Sentences =
    [
        "The lighthouse was built in 1854.",
        "Ferries leave from the north pier.",
        "The lighthouse was built in 1854.",
    ];

    [Fact]
    public async Task Sentence_vectors_are_kept_per_scope_and_a_repeat_embeds_nothing_new()
    {
        var similarity = new EncoderSimilarity(models.Embedder, 0.8);

        var first = await similarity.SimilarityAsync("When was the lighthouse built?", Sentences, "collection:a", CancellationToken.None);
        Assert.Equal(2, similarity.Count); // a repeated sentence is embedded once
        var again = await similarity.SimilarityAsync("Who keeps the lighthouse?", Sentences, "collection:a", CancellationToken.None);
        Assert.Equal(2, similarity.Count);
        var otherTenant = await similarity.SimilarityAsync("When was the lighthouse built?", Sentences, "collection:b", CancellationToken.None);

        Assert.Equal(4, similarity.Count); // another scope never reads the first one's vectors
        Assert.Equal(first, otherTenant);
        Assert.Equal(first[0], first[2]);
        Assert.Equal(3, again.Length);
    }

    [Fact]
    public async Task The_oldest_vectors_go_when_the_capacity_is_reached()
    {
        var similarity = new EncoderSimilarity(models.Embedder, 0.8, capacity: 3);

        await similarity.SimilarityAsync("q", [.. Enumerable.Range(0, 5).Select(i => $"Sentence number {i} about tides.")], "s", CancellationToken.None);

        Assert.Equal(3, similarity.Count);
    }
}
