using System.Numerics.Tensors;
using Rag.Engine.Models;

namespace Rag.Engine.Tests.Models;

public sealed class EmbedderTests(FixtureModels models) : IClassFixture<FixtureModels>
{
    private readonly OnnxEmbedder _embedder = models.Embedder;

    [Fact]
    public async Task Embeddings_are_unit_length_and_do_not_depend_on_the_batch()
    {
        var target = "Return the absolute path of a file, resolving symbolic links.";
        string[] others =
        [
            "x",
            "The harbour master keeps the tide tables in the office by the pier.",
            string.Concat(Enumerable.Repeat("A much longer text about parsing configuration files and their sections. ", 12)),
        ];

        var alone = (await _embedder.EmbedAsync([target], CancellationToken.None))[0];
        var inBatch = await _embedder.EmbedAsync([others[0], target, others[1], others[2]], CancellationToken.None);

        Assert.Equal(_embedder.Dimensions, alone.Vector.Length);
        foreach (var embedding in inBatch.Append(alone))
            Assert.Equal(1.0, TensorPrimitives.Norm(embedding.Vector), 4);
        for (var d = 0; d < alone.Vector.Length; d++)
            Assert.Equal(alone.Vector[d], inBatch[1].Vector[d], 4);
        Assert.False(alone.Truncated);
    }

    [Fact]
    public async Task A_text_longer_than_the_model_reads_is_truncated_and_says_so()
    {
        var longText = string.Concat(Enumerable.Repeat("word ", _embedder.MaxTokens * 2));

        var embedding = (await _embedder.EmbedAsync([longText, "short"], CancellationToken.None))[0];

        Assert.True(embedding.Truncated);
        Assert.Equal(_embedder.MaxTokens, embedding.Tokens);
        Assert.Equal(1.0, TensorPrimitives.Norm(embedding.Vector), 4);
    }

    [Fact]
    public async Task Related_texts_are_closer_than_unrelated_ones()
    {
        var vectors = await _embedder.EmbedAsync(
            ["Open a file and read its lines.", "def read_lines(path):\n    with open(path) as f:\n        return f.readlines()\n", "The tide comes in twice a day."],
            CancellationToken.None);

        var related = TensorPrimitives.Dot(vectors[0].Vector, vectors[1].Vector);
        var unrelated = TensorPrimitives.Dot(vectors[0].Vector, vectors[2].Vector);
        Assert.True(related > unrelated, $"related {related} <= unrelated {unrelated}");
    }

    [Fact]
    public async Task Concurrent_callers_share_the_model_and_each_gets_its_own_vectors()
    {
        var texts = Enumerable.Range(0, 40).Select(i => $"Passage {i} about tide number {i * 7} at the north pier, {new string('x', i)}.").ToList();
        var alone = new List<float[]>();
        foreach (var text in texts)
            alone.Add((await _embedder.EmbedAsync([text], CancellationToken.None))[0].Vector);

        // Ten documents and ten queries at once: their texts meet in shared batches.
        var documents = Enumerable.Range(0, 10).Select(d => _embedder.EmbedAsync(texts.Skip(d * 4).Take(4).ToList(), CancellationToken.None)).ToList();
        var queries = Enumerable.Range(0, 10).Select(q => _embedder.EmbedQueriesAsync([texts[q]], CancellationToken.None)).ToList();
        await Task.WhenAll(documents.Cast<Task>().Concat(queries));

        for (var d = 0; d < 10; d++)
        {
            for (var i = 0; i < 4; i++)
                Assert.Equal(alone[(d * 4) + i], (await documents[d])[i].Vector, (a, b) => Math.Abs(a - b) < 1e-4);
        }

        // The fixture encoder has no query prefix: a query's vector is its text's.
        Assert.Equal(alone[3], (await queries[3])[0].Vector, (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public async Task A_cancelled_caller_leaves_the_others_their_vectors()
    {
        var many = Enumerable.Range(0, 200).Select(i => $"Chunk {i}: " + string.Concat(Enumerable.Repeat("the keeper winds the clock. ", 20))).ToList();
        using var cancel = new CancellationTokenSource();
        var cancelled = _embedder.EmbedAsync(many, cancel.Token);
        var other = _embedder.EmbedAsync(many.Take(20).ToList(), CancellationToken.None);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var vectors = await other;
        Assert.Equal(20, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(1.0, TensorPrimitives.Norm(v.Vector), 4));
    }
}
