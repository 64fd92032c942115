using System.Numerics.Tensors;
using System.Text;
using Rag.Engine.Answers;
using Rag.Engine.Documents;
using Rag.Engine.Models;
using Rag.Engine.Search;
using Rag.Retrieval.Parsing;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;
using Rag.Tests.Shared;

namespace Rag.Engine.Tests;

/// <summary>Long, list-heavy documents with the real default encoder: what chunk vectors, unit vectors and the fusion of both find.</summary>
public sealed class LongDocumentTests
{
    [Fact]
    public async Task A_paraphrase_only_a_units_vector_finds_ranks_its_chunk_first_in_hybrid_search_and_its_item_is_the_first_citation()
    {
        await using var engine = new EngineHarness(settings: new() { ["Rag:Chunking:MaxTokens"] = "512" });
        var tool = await IngestAsync(engine, "news", "tool-news.txt", ReleaseNotes.Tool);
        await IngestAsync(engine, "news", "allocator-news.txt", ReleaseNotes.Allocator);
        var search = engine.Get<SearchService>();
        Assert.True(search.UnitShare > 0, "the default encoder's fitted fusion draws on unit vectors");

        async Task<string> FirstAsync(SearchMode mode) =>
            (await search.SearchAsync("news", new SearchQuery(ReleaseNotes.Question, 2, [], mode), CancellationToken.None)).Results[0].DocumentId;

        // One chunk per document: the tool's chunk is about a dozen things, the allocator's about memory, and it shares
        // a word with the question. BM25 alone and the chunks' own vectors alone rank the allocator first.
        var embedder = engine.Get<ModelHost>().Embedder!;
        var query = (await embedder.EmbedQueriesAsync([ReleaseNotes.Question], CancellationToken.None))[0].Vector;
        var byChunkVector = await engine.Get<IVectorIndex>().SearchAsync("news", query, embedder.ModelId, 2, null, CancellationToken.None);
        Assert.NotEqual(tool, byChunkVector[0].DocumentId);
        Assert.NotEqual(tool, await FirstAsync(SearchMode.Lexical));
        Assert.Equal(tool, await FirstAsync(SearchMode.Hybrid));
        Assert.Equal(tool, await FirstAsync(SearchMode.Dense)); // dense search draws on the units as hybrid does

        var answer = await engine.Get<AskService>().AskAsync("news", new AskQuery(ReleaseNotes.Question, 2, 60, []), CancellationToken.None);
        Assert.Equal(ReleaseNotes.AnsweringItem, answer.Citations[0].Quote);
    }

    [Fact]
    public async Task A_chunk_longer_than_the_encoders_window_is_represented_whole_and_a_fact_at_its_end_is_found_by_dense_search()
    {
        await using var engine = new EngineHarness(settings: new() { ["Rag:Chunking:MaxTokens"] = "2000" });
        var cheese = string.Join(' ', Enumerable.Range(0, 45).Select(i =>
            $"In the {i + 1}th step the curd is cut, stirred and heated slowly so that whey separates from it before the cheese is pressed into moulds."));
        var end = "The lighthouse on the headland was built in 1854 from local granite.";
        var id = await IngestAsync(engine, "long", "dairy.txt", cheese + "\n\n" + end);
        var other = await IngestAsync(engine, "long", "pressing.txt", string.Join(' ', Enumerable.Range(0, 3).Select(i =>
            $"Pressing step {i + 1}: the curd is cut, stirred and heated slowly so that whey separates before the cheese is pressed.")));
        var embedder = engine.Get<ModelHost>().Embedder!;
        var chunk = Assert.Single(await engine.Get<IDocumentStore>().GetDocumentChunksAsync("long", id, CancellationToken.None));
        Assert.EndsWith(end, chunk.Text, StringComparison.Ordinal);
        Assert.True((await embedder.EmbedAsync([chunk.Text], CancellationToken.None))[0].Truncated, "the chunk is longer than the encoder reads in one pass");

        // By the chunks' own vectors alone (what a single pass over the chunk's start would lose).
        var query = (await embedder.EmbedQueriesAsync(["When was the beacon tower on the cape erected?"], CancellationToken.None))[0].Vector;
        var hits = await engine.Get<IVectorIndex>().SearchAsync("long", query, embedder.ModelId, 2, null, CancellationToken.None);
        Assert.Equal([id, other], hits.Select(h => h.DocumentId));
        var start = await embedder.EmbedAsync([chunk.Text], CancellationToken.None);
        var stored = await engine.Get<IVectorIndex>().SearchAsync("long", start[0].Vector, embedder.ModelId, 2, null, CancellationToken.None);
        Assert.True(stored.Single(h => h.DocumentId == id).Score < 0.99, "the stored vector is not the vector of the chunk's start");
    }

    private static async Task<string> IngestAsync(EngineHarness engine, string collection, string name, string text)
    {
        var (record, _) = await engine.Get<DocumentService>().AddAsync(
            new DocumentUpload(collection, Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Text), name, null, []), CancellationToken.None);
        await engine.DrainAsync();
        return record.Id;
    }
}
