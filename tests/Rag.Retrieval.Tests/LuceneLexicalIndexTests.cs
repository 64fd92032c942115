using Rag.Retrieval.Chunking;
using Rag.Retrieval.Lexical;

namespace Rag.Retrieval.Tests;

public sealed class LuceneLexicalIndexTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder();
    private readonly LuceneLexicalIndex _index;
    private readonly CancellationToken _ct = CancellationToken.None;

    public LuceneLexicalIndexTests() => _index = new LuceneLexicalIndex(_folder);

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Search_ranks_by_bm25_with_english_stemming()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "The lighthouse keeper trims the wicks."), Chunk(1, "Boats are moored in the harbour.")], _ct);

        var hits = _index.Search("c1", "keepers trimming wick", 10, null);

        var hit = Assert.Single(hits);
        Assert.Equal(("doc_a", 0), (hit.DocumentId, hit.ChunkIndex));
        Assert.True(hit.Score > 0);
    }

    [Fact]
    public async Task Collections_never_see_each_other()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "secret plans for the harbour")], _ct);
        await _index.IndexAsync("c2", "doc_b", [], [Chunk(0, "public notes about the harbour")], _ct);

        Assert.Equal(["doc_b"], _index.Search("c2", "harbour", 10, null).Select(h => h.DocumentId));
        Assert.Empty(_index.Search("c2", "secret plans", 10, null));
    }

    [Fact]
    public async Task Tag_filters_require_every_tag()
    {
        await _index.IndexAsync("c1", "doc_a", ["ops", "2024"], [Chunk(0, "rotation schedule")], _ct);
        await _index.IndexAsync("c1", "doc_b", ["ops"], [Chunk(0, "rotation policy")], _ct);

        Assert.Equal(2, _index.Search("c1", "rotation", 10, ["ops"]).Count);
        Assert.Equal(["doc_a"], _index.Search("c1", "rotation", 10, ["ops", "2024"]).Select(h => h.DocumentId));
        Assert.Empty(_index.Search("c1", "rotation", 10, ["finance"]));
    }

    [Fact]
    public async Task Indexing_a_document_again_replaces_its_entries()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "anchor chain"), Chunk(1, "anchor winch")], _ct);
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "anchor chain"), Chunk(1, "anchor winch")], _ct);

        Assert.Equal(2, _index.Search("c1", "anchor", 10, null).Count);
    }

    [Fact]
    public async Task Deleted_documents_are_gone_and_entries_survive_reopening()
    {
        await _index.IndexAsync("c1", "doc_a", [], [Chunk(0, "tide tables")], _ct);
        await _index.IndexAsync("c1", "doc_b", [], [Chunk(0, "tide clocks")], _ct);
        await _index.DeleteAsync("c1", "doc_a", _ct);
        _index.Dispose();

        using var reopened = new LuceneLexicalIndex(_folder);

        Assert.Equal(["doc_b"], reopened.Search("c1", "tide", 10, null).Select(h => h.DocumentId));
    }

    [Fact]
    public void A_query_of_only_stop_words_finds_nothing() =>
        Assert.Empty(_index.Search("c1", "the of and", 10, null));

    private static TextChunk Chunk(int index, string text) => new(index, 0, text.Length, text, 1, null);
}
