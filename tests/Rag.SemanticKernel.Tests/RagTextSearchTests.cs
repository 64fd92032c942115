using Microsoft.SemanticKernel.Data;

namespace Rag.SemanticKernel.Tests;

/// <summary>How the text search maps Semantic Kernel's options onto Rag's search (the backend is a recording stand-in; the real one is tested against the service).</summary>
public sealed class RagTextSearchTests
{
    private sealed class Recording : IRagBackend
    {
        public List<(string Collection, string Query, int TopK, IReadOnlyList<string>? Tags)> Searches { get; } = [];

        public List<(string Text, double Rate, string Method)> Compressions { get; } = [];

        public Task<IReadOnlyList<RagSearchResult>> SearchAsync(string collection, string query, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
        {
            Searches.Add((collection, query, topK, tags));
            return Task.FromResult<IReadOnlyList<RagSearchResult>>(
                [.. Enumerable.Range(0, topK).Select(i => new RagSearchResult($"doc_{i}", $"doc_{i}:0", $"text {i} about the harbour", 1.0 / (i + 1), null, i % 2 == 0 ? $"Title {i}" : null, 10 * i, (10 * i) + 5))]);
        }

        public Task<RagCompressResult> CompressAsync(string text, string? question, double rate, string method, CancellationToken cancellationToken)
        {
            Compressions.Add((text, rate, method));
            return Task.FromResult(new RagCompressResult("short " + text[..4], 10, 2, 5, method));
        }

        public Task<RagAskResult> AskAsync(string collection, string question, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RagIngestResult> IngestAsync(string collection, string text, string? title, IReadOnlyList<string>? tags, bool wait, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<RagIngestResult>> IngestManyAsync(string collection, IReadOnlyList<string> texts, IReadOnlyList<string>? tags, bool wait, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Filters_on_tag_and_collection_become_Rags_and_skip_and_top_page_the_hits()
    {
        var backend = new Recording();
        var search = new RagTextSearch(backend, new RagTextSearchOptions { Collection = "manuals" });
        var filter = new TextSearchFilter().Equality("tag", "v2").Equality("tags", "linux").Equality("collection", "notes");

        var results = await search.GetTextSearchResultsAsync("ferry", new TextSearchOptions { Top = 2, Skip = 1, Filter = filter, IncludeTotalCount = true });
        var found = await results.Results.ToListAsync();

        var (collection, query, topK, tags) = Assert.Single(backend.Searches);
        Assert.Equal(("notes", "ferry", 3), (collection, query, topK));
        Assert.Equal(["v2", "linux"], tags!);
        Assert.Equal(["doc_1", "Title 2"], found.Select(r => r.Name));
        Assert.Equal("rag://notes/doc_1#char=10,15", found[0].Link);
        Assert.Equal("text 1 about the harbour", found[0].Value);
        Assert.Equal(2, results.TotalCount);
    }

    [Fact]
    public async Task With_a_rate_each_hit_is_compressed_for_the_query()
    {
        var backend = new Recording();
        var search = new RagTextSearch(backend, new RagTextSearchOptions { CompressionRate = 0.25 });

        var values = await (await search.SearchAsync("tide", new TextSearchOptions { Top = 2 })).Results.ToListAsync();

        Assert.Equal(["short text", "short text"], values);
        Assert.Equal([("text 0 about the harbour", 0.25, "coarse_to_fine"), ("text 1 about the harbour", 0.25, "coarse_to_fine")], backend.Compressions);
        Assert.Equal("default", Assert.Single(backend.Searches).Collection);
    }

    [Fact]
    public async Task A_filter_Rag_cannot_apply_is_refused_by_its_field_name()
    {
        var search = new RagTextSearch(new Recording());

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            search.SearchAsync("tide", new TextSearchOptions { Filter = new TextSearchFilter().Equality("author", "x") }));

        Assert.Contains("'author'", refused.Message, StringComparison.Ordinal);
    }
}
