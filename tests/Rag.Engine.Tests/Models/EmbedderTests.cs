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
}
