using Rag.Retrieval.Chunking;
using System.Numerics.Tensors;
using Rag.Retrieval.Tests.Qdrant;
using Rag.Qdrant.StandIn;
using Rag.Retrieval.Vectors;
using Rag.Storage.Embedded;
using Rag.Storage.Qdrant;

namespace Rag.Retrieval.Tests.Vectors;

/// <summary>What every <see cref="IVectorIndex"/> does; each implementation runs it against a fresh index.</summary>
public abstract class VectorIndexContract : IAsyncLifetime
{
    protected const string Model = "m@1";
    private readonly CancellationToken _ct = CancellationToken.None;

    /// <summary>A new, empty index.</summary>
    protected abstract Task<IVectorIndex> OpenAsync();

    /// <summary>The same index opened again, as another process (or the same one after a restart) would.</summary>
    protected abstract Task<IVectorIndex> ReopenAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Search_returns_exactly_the_brute_force_top_k_in_order()
    {
        var random = new Random(3);
        var index = await OpenAsync();
        var all = new List<(string Document, int Chunk, float[] Vector)>();
        for (var d = 0; d < 20; d++)
        {
            var vectors = Enumerable.Range(0, 25).Select(c => new ChunkVector(c, Unit(random, 48))).ToList();
            await index.UpsertAsync("c", $"doc{d}", [], Model, vectors, _ct);
            all.AddRange(vectors.Select(v => ($"doc{d}", v.ChunkIndex, v.Vector)));
        }

        for (var q = 0; q < 10; q++)
        {
            var query = Unit(random, 48);
            var expected = all.OrderByDescending(v => TensorPrimitives.Dot(query, v.Vector)).Take(7).ToList();

            var hits = await index.SearchAsync("c", query, Model, 7, null, _ct);

            Assert.Equal(expected.Select(e => (e.Document, e.Chunk)), hits.Select(h => (h.DocumentId, h.ChunkIndex)));
            Assert.Equal(TensorPrimitives.Dot(query, expected[0].Vector), hits[0].Score, 4);
        }
    }

    [Fact]
    public async Task A_replace_never_duplicates_and_survives_a_reopen()
    {
        var random = new Random(5);
        var index = await OpenAsync();
        await index.UpsertAsync("c", "a", ["x"], Model, [new ChunkVector(0, Unit(random, 8)), new ChunkVector(1, Unit(random, 8))], _ct);
        var replacement = Unit(random, 8);
        await index.UpsertAsync("c", "a", ["x"], Model, [new ChunkVector(0, replacement)], _ct);

        var reopened = await ReopenAsync();

        var hit = Assert.Single(await reopened.SearchAsync("c", replacement, Model, 5, ["x"], _ct));
        Assert.Equal(("a", 0), (hit.DocumentId, hit.ChunkIndex));
        Assert.Equal(1.0, hit.Score, 4);
    }

    [Fact]
    public async Task Several_documents_stored_together_are_each_replaced_whole_and_survive_a_reopen()
    {
        var random = new Random(11);
        var index = await OpenAsync();
        await index.UpsertAsync("c", "d1", [], Model, [new ChunkVector(0, Unit(random, 8)), new ChunkVector(1, Unit(random, 8))], _ct);
        var vectors = Enumerable.Range(0, 12).Select(_ => Unit(random, 8)).ToList();

        await index.UpsertManyAsync("c", Model, [.. Enumerable.Range(0, 12).Select(d => ($"d{d}", (IReadOnlyList<string>)["g"], (IReadOnlyList<ChunkVector>)[new ChunkVector(0, vectors[d])]))], _ct);

        var reopened = await ReopenAsync();
        for (var d = 0; d < 12; d++)
            Assert.Equal(($"d{d}", 0), (await reopened.SearchAsync("c", vectors[d], Model, 1, ["g"], _ct)).Select(h => (h.DocumentId, h.ChunkIndex)).Single());
        Assert.Equal(12, (await reopened.SearchAsync("c", vectors[0], Model, 50, [], _ct)).Count); // d1's old second chunk is gone
    }

    [Fact]
    public async Task Tags_collections_and_models_keep_vectors_apart()
    {
        var random = new Random(7);
        var vector = Unit(random, 8);
        var index = await OpenAsync();
        await index.UpsertAsync("c", "tagged", ["red", "big"], Model, [new ChunkVector(0, vector)], _ct);
        await index.UpsertAsync("c", "plain", [], Model, [new ChunkVector(0, vector)], _ct);
        await index.UpsertAsync("other", "elsewhere", [], Model, [new ChunkVector(0, vector)], _ct);
        await index.UpsertAsync("c", "old-model", [], "m@0", [new ChunkVector(0, vector)], _ct);

        Assert.Equal(["tagged"], (await index.SearchAsync("c", vector, Model, 10, ["red", "big"], _ct)).Select(h => h.DocumentId));
        Assert.Empty(await index.SearchAsync("c", vector, Model, 10, ["red", "small"], _ct));
        Assert.Equal(["plain", "tagged"], (await index.SearchAsync("c", vector, Model, 10, null, _ct)).Select(h => h.DocumentId).Order());
        Assert.True(await index.ContainsAsync("c", "old-model", "m@0", _ct));
        Assert.False(await index.ContainsAsync("c", "old-model", Model, _ct));
        Assert.Empty(await index.SearchAsync("nowhere", vector, Model, 10, null, _ct));
        Assert.Empty(await index.SearchAsync("c", Unit(random, 16), Model, 10, null, _ct));
    }

    [Fact]
    public async Task A_new_model_replaces_the_old_models_vectors()
    {
        var random = new Random(8);
        var index = await OpenAsync();
        await index.UpsertAsync("c", "a", [], "m@0", [new ChunkVector(0, Unit(random, 8)), new ChunkVector(1, Unit(random, 8))], _ct);

        await index.UpsertAsync("c", "a", [], Model, [new ChunkVector(0, Unit(random, 8))], _ct);

        Assert.False(await index.ContainsAsync("c", "a", "m@0", _ct));
        Assert.True(await index.ContainsAsync("c", "a", Model, _ct));
    }

    [Fact]
    public async Task Delete_removes_the_document_now_and_after_a_reopen()
    {
        var vector = Unit(new Random(9), 8);
        var index = await OpenAsync();
        await index.UpsertAsync("c", "gone", [], Model, [new ChunkVector(0, vector)], _ct);
        await index.UpsertAsync("c", "kept", [], Model, [new ChunkVector(0, vector)], _ct);

        await index.DeleteAsync("c", "gone", _ct);
        await index.DeleteAsync("c", "never-there", _ct);

        Assert.Equal(["kept"], (await index.SearchAsync("c", vector, Model, 10, null, _ct)).Select(h => h.DocumentId));
        Assert.Equal(["kept"], (await (await ReopenAsync()).SearchAsync("c", vector, Model, 10, null, _ct)).Select(h => h.DocumentId));
    }

    [Fact]
    public async Task Unit_vectors_come_back_with_their_spans_and_rank_chunks_by_their_best_unit()
    {
        var random = new Random(11);
        var index = await OpenAsync();
        var all = new List<(string Document, int Chunk, float[][] Units)>();
        for (var d = 0; d < 6; d++)
        {
            var vectors = Enumerable.Range(0, 4).Select(c => new ChunkVector(c, Unit(random, 16),
                [.. Enumerable.Range(0, 1 + ((c + d) % 3)).Select(u => new UnitVector(u * 10, (u * 10) + 9 - u, Unit(random, 16)))])).ToList();
            await index.UpsertAsync("c", $"doc{d}", ["t"], Model, vectors, _ct);
            all.AddRange(vectors.Select(v => ($"doc{d}", v.ChunkIndex, v.Units!.Select(u => u.Vector).ToArray())));
        }

        var reopened = await ReopenAsync();
        var units = await reopened.GetUnitsAsync("c", Model, [new("doc2", 1), new("doc5", 3), new("doc2", 9), new("missing", 0)], _ct);
        Assert.Equal([("doc2", 1), ("doc5", 3)], units.Keys.Select(k => (k.DocumentId, k.Index)).Order());
        var expected = all.Single(a => a.Document == "doc2" && a.Chunk == 1).Units;
        Assert.Equal(expected.Length, units[new("doc2", 1)].Count);
        Assert.Equal([.. Enumerable.Range(0, expected.Length).Select(u => (u * 10, 9 - u))], units[new("doc2", 1)].Select(u => (u.Start, u.Length)));
        Assert.Equal(expected[^1][3], units[new("doc2", 1)][^1].Vector[3], 5);
        Assert.True(await reopened.HasUnitsAsync("c", "doc2", Model, _ct));
        Assert.Empty(await reopened.GetUnitsAsync("c", "m@0", [new("doc2", 1)], _ct));
        Assert.Empty(await reopened.GetUnitsAsync("other", Model, [new("doc2", 1)], _ct));

        for (var q = 0; q < 5; q++)
        {
            var query = Unit(random, 16);
            var best = all.Select(a => (a.Document, a.Chunk, Score: a.Units.Max(u => TensorPrimitives.Dot(query, u))))
                .OrderByDescending(a => a.Score).Take(5).ToList();

            var hits = await reopened.SearchUnitsAsync("c", query, Model, 5, ["t"], _ct);

            Assert.Equal(best.Select(b => (b.Document, b.Chunk)), hits.Select(h => (h.DocumentId, h.ChunkIndex)));
            Assert.Equal(best[0].Score, hits[0].Score, 4);
        }
    }

    [Fact]
    public async Task Writing_a_document_again_replaces_its_units_and_delete_removes_them()
    {
        var random = new Random(12);
        var index = await OpenAsync();
        var old = Unit(random, 8);
        await index.UpsertAsync("c", "a", [], Model, [new ChunkVector(0, Unit(random, 8), [new UnitVector(0, 5, old)]), new ChunkVector(1, Unit(random, 8), [new UnitVector(0, 5, old)])], _ct);
        var fresh = Unit(random, 8);
        await index.UpsertAsync("c", "a", [], Model, [new ChunkVector(0, Unit(random, 8), [new UnitVector(2, 5, fresh)])], _ct);

        var units = await index.GetUnitsAsync("c", Model, [new("a", 0), new("a", 1)], _ct);
        Assert.Equal((2, 3), (Assert.Single(units[new("a", 0)]).Start, units[new("a", 0)][0].Length));
        Assert.False(units.ContainsKey(new("a", 1)));
        Assert.Equal([("a", 0)], (await index.SearchUnitsAsync("c", old, Model, 10, null, _ct)).Select(h => (h.DocumentId, h.ChunkIndex)));

        // Written without units (an index written before them): vectors, but no units to serve.
        await index.UpsertAsync("c", "b", [], Model, [new ChunkVector(0, Unit(random, 8))], _ct);
        Assert.True(await index.ContainsAsync("c", "b", Model, _ct));
        Assert.False(await index.HasUnitsAsync("c", "b", Model, _ct));

        await index.DeleteAsync("c", "a", _ct);
        Assert.False(await index.HasUnitsAsync("c", "a", Model, _ct));
        Assert.Empty(await index.GetUnitsAsync("c", Model, [new("a", 0)], _ct));
        Assert.Empty(await index.SearchUnitsAsync("c", fresh, Model, 10, null, _ct));
    }

    internal static float[] Unit(Random random, int dimensions)
    {
        var vector = Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }
}

public sealed class EmbeddedVectorIndexContractTests : VectorIndexContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rag-vectors-" + Guid.NewGuid().ToString("N"));

    protected override Task<IVectorIndex> OpenAsync() => Task.FromResult<IVectorIndex>(EmbeddedVectorIndex.Open(_folder));

    protected override Task<IVectorIndex> ReopenAsync() => OpenAsync();
}

/// <summary>
/// The Qdrant index through the official client against the gRPC stand-in, which refuses what Qdrant
/// refuses: the contract holds and nothing Rag sent was refused or left unwaited.
/// </summary>
public sealed class QdrantVectorIndexTests : VectorIndexContract
{
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8] + "_";
    private QdrantStandIn _qdrant = null!;
    private QdrantConnection? _connection;

    public override async Task InitializeAsync() => _qdrant = await QdrantStandIn.StartAsync();

    public override async Task DisposeAsync()
    {
        _connection?.Dispose();
        await _qdrant.DisposeAsync();
        Assert.Empty(_qdrant.Refusals);
        Assert.Equal(0, _qdrant.UnwaitedWrites);
    }

    protected override Task<IVectorIndex> OpenAsync()
    {
        _connection ??= new QdrantConnection(new QdrantOptions { Url = _qdrant.Address.ToString() });
        return Task.FromResult<IVectorIndex>(new QdrantVectorIndex(_connection, _prefix));
    }

    protected override Task<IVectorIndex> ReopenAsync() => OpenAsync();
}

/// <summary>
/// The same contract against a real Qdrant server, when <c>QDRANT_URL</c> names one (and
/// <c>QDRANT_API_KEY</c> its key). There is none on the build machines: the test says so and is skipped.
/// </summary>
public sealed class LiveQdrantVectorIndexTests
{
    [LiveQdrantFact]
    public async Task The_vector_index_contract_holds_on_a_real_Qdrant()
    {
        var tests = typeof(VectorIndexContract).GetMethods()
            .Where(m => m.GetCustomAttributes(typeof(FactAttribute), inherit: true).Length > 0)
            .ToList();
        Assert.NotEmpty(tests);
        foreach (var test in tests)
        {
            var contract = new LiveContract();
            await contract.InitializeAsync();
            try
            {
                await (Task)test.Invoke(contract, null)!;
            }
            finally
            {
                await contract.DisposeAsync();
            }
        }
    }

    private sealed class LiveContract : VectorIndexContract
    {
        private readonly string _prefix = "ragtest_" + Guid.NewGuid().ToString("N")[..8] + "_";

        protected override Task<IVectorIndex> OpenAsync() => Task.FromResult<IVectorIndex>(new QdrantVectorIndex(LiveQdrant.Connection(), _prefix));

        protected override Task<IVectorIndex> ReopenAsync() => OpenAsync();

        public override async Task DisposeAsync()
        {
            using var client = LiveQdrant.Client();
            foreach (var name in await client.ListCollectionsAsync())
            {
                if (name.StartsWith(_prefix, StringComparison.Ordinal))
                    await client.DeleteCollectionAsync(name);
            }
        }
    }
}
