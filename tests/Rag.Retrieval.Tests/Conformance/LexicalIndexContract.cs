using Rag.Retrieval.Chunking;
using Rag.Retrieval.Lexical;
using Rag.Storage.Embedded;
using Rag.Storage.Postgres;

namespace Rag.Retrieval.Tests.Conformance;

/// <summary>What every <see cref="ILexicalIndex"/> does; each implementation runs it against a fresh, real index.</summary>
public abstract class LexicalIndexContract : IAsyncLifetime
{
    private readonly CancellationToken _ct = CancellationToken.None;
    private ILexicalIndex _index = null!;

    /// <summary>A new, empty index.</summary>
    protected abstract Task<ILexicalIndex> OpenAsync();

    /// <summary>The same index, closed and opened again (as after a restart).</summary>
    protected abstract Task<ILexicalIndex> ReopenAsync(ILexicalIndex index);

    public async Task InitializeAsync() => _index = await OpenAsync();

    public Task DisposeAsync()
    {
        (_index as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    private Task<IReadOnlyList<LexicalHit>> Search(string collection, string query, int topK, IReadOnlyList<string>? tags) =>
        _index.SearchAsync(collection, query, topK, tags, _ct);

    [Fact]
    public async Task Search_ranks_by_bm25_with_english_stemming()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "The lighthouse keeper trims the wicks."), Chunk(1, "Boats are moored in the harbour.")], _ct);

        var hits = await Search("c1", "keepers trimming wick", 10, null);

        var hit = Assert.Single(hits);
        Assert.Equal(("doc_a", 0), (hit.DocumentId, hit.ChunkIndex));
        Assert.True(hit.Score > 0);
    }

    [Fact]
    public async Task Several_documents_are_removed_together_and_only_theirs()
    {
        await _index.IndexManyAsync("c1", [
            new("doc_a", [], [Chunk(0, "the ferry leaves at dawn")]),
            new("doc_b", [], [Chunk(0, "the ferry returns at dusk")]),
            new("doc_c", [], [Chunk(0, "the ferry rests on sunday")]),
        ], _ct);
        await _index.IndexAsync("c2", "doc_a", [], [Chunk(0, "the ferry of another tenant")], _ct);

        await _index.DeleteManyAsync("c1", ["doc_a", "doc_c", "doc_missing"], _ct);

        Assert.Equal(["doc_b"], (await _index.SearchAsync("c1", "ferry", 10, null, _ct)).Select(h => h.DocumentId));
        Assert.Single(await _index.SearchAsync("c2", "ferry", 10, null, _ct));
    }

    [Fact]
    public async Task Collections_never_see_each_other()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "secret plans for the harbour")], _ct);
        await _index.IndexAsync("c2", "doc_b", [], [Chunk(0, "public notes about the harbour")], _ct);

        Assert.Equal(["doc_b"], (await Search("c2", "harbour", 10, null)).Select(h => h.DocumentId));
        Assert.Empty(await Search("c2", "secret plans", 10, null));
    }

    [Fact]
    public async Task A_collections_scores_do_not_depend_on_other_collections()
    {
        // BM25's document frequencies and lengths: if they were shared, another tenant's text would move
        // this score, and the score would tell whether a word occurs in someone else's documents.
        await _index.IndexAsync("mine", "doc_a", [], [Chunk(0, "The quarry ledger lists the zircon shipments."), Chunk(1, "Boats are moored in the harbour.")], _ct);
        var alone = Assert.Single(await Search("mine", "zircon", 10, null)).Score;

        await _index.IndexAsync("theirs", "doc_s", [], [Chunk(0, "zircon zircon zircon"), Chunk(1, "zircon deposits under the zircon hill")], _ct);
        var beside = Assert.Single(await Search("mine", "zircon", 10, null)).Score;
        await _index.DeleteAsync("theirs", "doc_s", _ct);
        var after = Assert.Single(await Search("mine", "zircon", 10, null)).Score;

        Assert.Equal(alone, beside);
        Assert.Equal(alone, after);
    }

    [Fact]
    public async Task Tag_filters_require_every_tag()
    {
        await _index.IndexAsync("c1", "doc_a", ["ops", "2024"], [Chunk(0, "rotation schedule")], _ct);
        await _index.IndexAsync("c1", "doc_b", ["ops"], [Chunk(0, "rotation policy")], _ct);

        Assert.Equal(2, (await Search("c1", "rotation", 10, ["ops"])).Count);
        Assert.Equal(["doc_a"], (await Search("c1", "rotation", 10, ["ops", "2024"])).Select(h => h.DocumentId));
        Assert.Empty(await Search("c1", "rotation", 10, ["finance"]));
    }

    [Fact]
    public async Task Indexing_a_document_again_replaces_its_entries()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "anchor chain"), Chunk(1, "anchor winch")], _ct);
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "anchor chain"), Chunk(1, "anchor winch")], _ct);

        Assert.Equal(2, (await Search("c1", "anchor", 10, null)).Count);
    }

    [Fact]
    public async Task Two_writers_indexing_one_document_at_once_leave_its_entries_once()
    {
        // A resumed job beside the one a dead worker left: both index the same document together, and neither fails.
        TextChunk[] chunks = [.. Enumerable.Range(0, 50).Select(i => Chunk(i, $"mooring line {i} at the quay"))];
        for (var round = 0; round < 5; round++)
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _index.IndexAsync("c1", "doc_a", [], chunks, _ct))));

        Assert.Equal(50, (await Search("c1", "mooring quay", 100, null)).Count);
    }

    [Fact]
    public async Task Deleted_documents_are_gone_and_entries_survive_reopening()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "tide tables")], _ct);
        await _index.IndexAsync("c1", "doc_b", [], [Chunk(0, "tide clocks")], _ct);
        await _index.DeleteAsync("c1", "doc_a", _ct);
        _index = await ReopenAsync(_index);

        Assert.Equal(["doc_b"], (await Search("c1", "tide", 10, null)).Select(h => h.DocumentId));
    }

    [Fact]
    public async Task A_query_of_only_stop_words_finds_nothing()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "the tide and the moon")], _ct);

        Assert.Empty(await Search("c1", "the of and", 10, null));
    }

    [Fact]
    public async Task Any_query_term_matches_and_more_matching_terms_rank_higher()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "The pier lantern was lit at dusk."), Chunk(1, "The lantern in the window."), Chunk(2, "Gulls over the mast.")], _ct);

        var hits = await Search("c1", "pier lantern", 10, null);

        Assert.Equal([0, 1], hits.Select(h => h.ChunkIndex));
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task Query_syntax_characters_are_plain_text()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "O'Brien's boat: (red) & blue | green!")], _ct);

        Assert.Single(await Search("c1", "O'Brien's (red) & !blue | \\ * : <-> ''", 10, null));
    }

    [Fact]
    public async Task Top_k_limits_the_hits()
    {
        await _index.IndexAsync("c1", "doc_a", [], [.. Enumerable.Range(0, 20).Select(i => Chunk(i, $"anchor number {i}"))], _ct);

        Assert.Equal(5, (await Search("c1", "anchor", 5, null)).Count);
    }

    private static TextChunk Chunk(int index, string text) => new(index, 0, text.Length, text, 1, null);
}

public sealed class LuceneLexicalIndexTests : LexicalIndexContract
{
    private readonly string _folder = TestSupport.TempFolder();

    [Fact]
    public void An_index_of_earlier_versions_is_found_and_dropped()
    {
        // Earlier versions kept one index for every collection directly in the folder.
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "segments_1"), "");
        File.WriteAllText(Path.Combine(_folder, "_0.cfs"), "");
        using var index = new LuceneLexicalIndex(_folder);

        Assert.True(index.HasLegacyIndex);
        index.DropLegacyIndex();
        Assert.False(index.HasLegacyIndex);
        Assert.Empty(Directory.EnumerateFiles(_folder));
    }

    protected override Task<ILexicalIndex> OpenAsync() => Task.FromResult<ILexicalIndex>(new LuceneLexicalIndex(_folder));

    protected override Task<ILexicalIndex> ReopenAsync(ILexicalIndex index)
    {
        ((LuceneLexicalIndex)index).Dispose();
        return OpenAsync();
    }
}

public sealed class PostgresLexicalIndexTests : LexicalIndexContract
{
    private Npgsql.NpgsqlDataSource? _dataSource;

    protected override async Task<ILexicalIndex> OpenAsync() => new PostgresLexicalIndex(_dataSource = await PostgresTestDatabase.CreateAsync());

    protected override async Task<ILexicalIndex> ReopenAsync(ILexicalIndex index)
    {
        // A new data source over the same database: nothing lives in the process.
        var connectionString = _dataSource!.ConnectionString;
        await _dataSource.DisposeAsync();
        return new PostgresLexicalIndex(_dataSource = Npgsql.NpgsqlDataSource.Create(connectionString));
    }
}
