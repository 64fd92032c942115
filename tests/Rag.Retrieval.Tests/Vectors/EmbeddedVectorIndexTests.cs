using Rag.Retrieval.Vectors;
using Rag.Storage.Embedded;

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

    [Fact]
    public async Task A_file_written_before_unit_vectors_still_reads_and_asks_for_its_units()
    {
        // Version 1 of the file, as the previous release wrote it: header, tags, chunk indexes, vectors.
        var vector = Unit(new Random(13), 4);
        Directory.CreateDirectory(Path.Combine(_folder, "c"));
        await using (var writer = new BinaryWriter(File.Create(Path.Combine(_folder, "c", "old.vec"))))
        {
            writer.Write(0x56474152);
            writer.Write(1);
            writer.Write("old");
            writer.Write(Model);
            writer.Write(1);
            writer.Write("t");
            writer.Write(4);
            writer.Write(1);
            writer.Write(0);
            foreach (var x in vector)
                writer.Write(x);
        }

        var index = EmbeddedVectorIndex.Open(_folder);

        Assert.Equal(("old", 0), Assert.Single(index.Search("c", vector, Model, 5, ["t"])) is var hit ? (hit.DocumentId, hit.ChunkIndex) : default);
        Assert.True(await index.ContainsAsync("c", "old", Model, CancellationToken.None));
        Assert.False(await index.HasUnitsAsync("c", "old", Model, CancellationToken.None));
        Assert.Empty(await index.SearchUnitsAsync("c", vector, Model, 5, null, CancellationToken.None));
    }

    private static float[] Unit(Random random, int dimensions) => VectorIndexContract.Unit(random, dimensions);
}
