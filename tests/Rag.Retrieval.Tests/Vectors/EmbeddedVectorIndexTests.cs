using Rag.Retrieval.Vectors;

namespace Rag.Retrieval.Tests.Vectors;

/// <summary>What only the file-backed index must do; the shared behaviour is in <see cref="VectorIndexContract"/>.</summary>
public sealed class EmbeddedVectorIndexTests : IDisposable
{
    private const string Model = "m@1";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rag-vectors-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

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

    private static float[] Unit(Random random, int dimensions) => VectorIndexContract.Unit(random, dimensions);
}
