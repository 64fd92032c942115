using System.Numerics.Tensors;
using Rag.Retrieval.Vectors;

namespace Rag.Retrieval.Tests.Vectors;

public sealed class EmbeddedVectorIndexTests : IDisposable
{
    private const string Model = "m@1";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rag-vectors-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Search_returns_exactly_the_brute_force_top_k_in_order()
    {
        var random = new Random(3);
        var index = EmbeddedVectorIndex.Open(_folder);
        var all = new List<(string Document, int Chunk, float[] Vector)>();
        for (var d = 0; d < 20; d++)
        {
            var vectors = Enumerable.Range(0, 25).Select(c => new ChunkVector(c, Unit(random, 48))).ToList();
            await index.UpsertAsync("c", $"doc{d}", [], Model, vectors, CancellationToken.None);
            all.AddRange(vectors.Select(v => ($"doc{d}", v.ChunkIndex, v.Vector)));
        }

        for (var q = 0; q < 10; q++)
        {
            var query = Unit(random, 48);
            var expected = all.OrderByDescending(v => TensorPrimitives.Dot(query, v.Vector)).Take(7).ToList();

            var hits = index.Search("c", query, Model, 7, null);

            Assert.Equal(expected.Select(e => (e.Document, e.Chunk)), hits.Select(h => (h.DocumentId, h.ChunkIndex)));
            Assert.Equal(TensorPrimitives.Dot(query, expected[0].Vector), hits[0].Score, 5);
        }
    }

    [Fact]
    public async Task Vectors_survive_a_reopen_and_a_replace_never_duplicates()
    {
        var random = new Random(5);
        var index = EmbeddedVectorIndex.Open(_folder);
        await index.UpsertAsync("c", "a", ["x"], Model, [new ChunkVector(0, Unit(random, 8)), new ChunkVector(1, Unit(random, 8))], CancellationToken.None);
        var replacement = Unit(random, 8);
        await index.UpsertAsync("c", "a", ["x"], Model, [new ChunkVector(0, replacement)], CancellationToken.None);

        var reopened = EmbeddedVectorIndex.Open(_folder);

        Assert.Equal(1, reopened.Count);
        var hit = Assert.Single(reopened.Search("c", replacement, Model, 5, ["x"]));
        Assert.Equal(("a", 0), (hit.DocumentId, hit.ChunkIndex));
        Assert.Equal(1.0, hit.Score, 5);
    }

    [Fact]
    public async Task Tags_collections_and_models_keep_vectors_apart()
    {
        var random = new Random(7);
        var vector = Unit(random, 8);
        var index = EmbeddedVectorIndex.Open(_folder);
        await index.UpsertAsync("c", "tagged", ["red", "big"], Model, [new ChunkVector(0, vector)], CancellationToken.None);
        await index.UpsertAsync("c", "plain", [], Model, [new ChunkVector(0, vector)], CancellationToken.None);
        await index.UpsertAsync("other", "elsewhere", [], Model, [new ChunkVector(0, vector)], CancellationToken.None);
        await index.UpsertAsync("c", "old-model", [], "m@0", [new ChunkVector(0, vector)], CancellationToken.None);

        Assert.Equal(["tagged"], index.Search("c", vector, Model, 10, ["red", "big"]).Select(h => h.DocumentId));
        Assert.Empty(index.Search("c", vector, Model, 10, ["red", "small"]));
        Assert.Equal(["plain", "tagged"], index.Search("c", vector, Model, 10, null).Select(h => h.DocumentId).Order());
        Assert.True(index.Contains("c", "old-model", "m@0"));
        Assert.False(index.Contains("c", "old-model", Model));
        Assert.Empty(index.Search("nowhere", vector, Model, 10, null));
    }

    [Fact]
    public async Task Delete_removes_the_document_now_and_after_a_reopen()
    {
        var vector = Unit(new Random(9), 8);
        var index = EmbeddedVectorIndex.Open(_folder);
        await index.UpsertAsync("c", "gone", [], Model, [new ChunkVector(0, vector)], CancellationToken.None);
        await index.UpsertAsync("c", "kept", [], Model, [new ChunkVector(0, vector)], CancellationToken.None);

        await index.DeleteAsync("c", "gone", CancellationToken.None);
        await index.DeleteAsync("c", "never-there", CancellationToken.None);

        Assert.Equal(["kept"], index.Search("c", vector, Model, 10, null).Select(h => h.DocumentId));
        Assert.Equal(["kept"], EmbeddedVectorIndex.Open(_folder).Search("c", vector, Model, 10, null).Select(h => h.DocumentId));
    }

    [Fact]
    public async Task A_write_interrupted_before_its_rename_leaves_the_old_vectors()
    {
        var random = new Random(11);
        var old = Unit(random, 8);
        var index = EmbeddedVectorIndex.Open(_folder);
        await index.UpsertAsync("c", "a", [], Model, [new ChunkVector(0, old)], CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "c", "a.vec.tmp"), [1, 2, 3]);

        var reopened = EmbeddedVectorIndex.Open(_folder);

        Assert.Equal(1.0, Assert.Single(reopened.Search("c", old, Model, 5, null)).Score, 5);
        Assert.False(File.Exists(Path.Combine(_folder, "c", "a.vec.tmp")));
    }

    internal static float[] Unit(Random random, int dimensions)
    {
        var vector = Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }
}
