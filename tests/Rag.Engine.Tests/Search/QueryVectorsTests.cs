using System.Numerics.Tensors;
using Rag.Engine.Search;
using Rag.Engine.Tests.Models;

namespace Rag.Engine.Tests.Search;

/// <summary>Query vectors with the real encoder: shared passes give what a pass of one gives, and a kept vector serves only its own caller and model.</summary>
[Collection(RealEncoderCollection.Name)]
public sealed class QueryVectorsTests(RealEncoders encoders)
{
    private static readonly string[] Questions =
    [
        "who wrote the book the origin of species",
        "when did the titanic sink",
        "what is the capital city of australia",
        "how many players are on a rugby union team",
        "who painted the ceiling of the sistine chapel",
        "what is the longest river in africa",
        "when was the first iphone released",
        "where is the great barrier reef located",
        "who discovered penicillin and in what year was it",
        "what does dna stand for",
        "which planet has the most moons",
        "what language is spoken in brazil",
    ];

    [Fact]
    public async Task Queries_embedded_together_get_the_vectors_they_get_one_at_a_time()
    {
        var arctic = encoders.Arctic;
        var alone = new List<float[]>();
        foreach (var question in Questions)
            alone.Add((await arctic.EmbedQueriesAsync([question], CancellationToken.None))[0].Vector);

        var passes = arctic.BatchesRun;
        var together = await Task.WhenAll(Questions.Select(q => arctic.EmbedQueriesAsync([q], CancellationToken.None)));

        Assert.True(arctic.BatchesRun - passes < Questions.Length, "concurrent queries shared at least one pass");
        for (var i = 0; i < Questions.Length; i++)
        {
            // Padded to the longest query of its pass and masked: the same vector within float rounding.
            Assert.True(TensorPrimitives.CosineSimilarity(alone[i], together[i][0].Vector) > 0.9999f, Questions[i]);
            Assert.True(TensorPrimitives.Distance(alone[i], together[i][0].Vector) < 1e-3f, Questions[i]);
        }
    }

    [Fact]
    public async Task A_kept_vector_answers_only_the_same_caller_and_model()
    {
        var arctic = new QueryVectors(encoders.Arctic);
        var minilm = new QueryVectors(encoders.MiniLm);
        const string question = "who keeps the tide tables in the harbour office";

        var first = await arctic.GetAsync(question, "key:team-a", CancellationToken.None);
        var again = await arctic.GetAsync(question, "key:team-a", CancellationToken.None);
        Assert.Equal(1, arctic.Hits);
        Assert.Same(first, again);

        // Another tenant asking the same words is embedded afresh: no hit, so no signal that someone asked before.
        var other = await arctic.GetAsync(question, "key:team-b", CancellationToken.None);
        Assert.Equal(1, arctic.Hits);
        Assert.NotSame(first, other);
        Assert.Equal(first, other);

        // No scope: embedded and not kept.
        await arctic.GetAsync(question, null, CancellationToken.None);
        Assert.Equal(1, arctic.Hits);
        Assert.Equal(2, arctic.Count);

        // Another model's vector for the same caller and text is its own.
        var small = await minilm.GetAsync(question, "key:team-a", CancellationToken.None);
        Assert.Equal(0, minilm.Hits);
        Assert.Equal(encoders.MiniLm.Dimensions, small.Length);
        Assert.NotEqual(first, small);
    }

    [Fact]
    public async Task The_oldest_vectors_go_first_past_the_capacity()
    {
        var vectors = new QueryVectors(encoders.Arctic, capacity: 3);
        foreach (var question in Questions.Take(5))
            await vectors.GetAsync(question, "key:a", CancellationToken.None);

        Assert.Equal(3, vectors.Count);
        await vectors.GetAsync(Questions[4], "key:a", CancellationToken.None);
        Assert.Equal(1, vectors.Hits);
        await vectors.GetAsync(Questions[0], "key:a", CancellationToken.None);
        Assert.Equal(1, vectors.Hits);
    }
}
