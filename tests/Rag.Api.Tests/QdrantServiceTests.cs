using System.Net;
using Rag.Tests.Shared;
using Grpc.Core;
using Rag.Qdrant.StandIn;

namespace Rag.Api.Tests;

/// <summary>
/// The full server deployment in one test: documents and jobs in PostgreSQL, vectors and the
/// segment cache in "Qdrant" — the loopback gRPC stand-in, which refuses what Qdrant refuses — through
/// the official client, with the fixture embedder and decoder.
/// </summary>
public sealed class QdrantServiceTests
{
    [Fact]
    public async Task Ingest_dense_search_and_cached_compression_go_through_qdrant()
    {
        await using var qdrant = await QdrantStandIn.StartAsync();
        qdrant.ApiKey = "qdrant-secret";
        var settings = PostgresServiceFixture.PostgresSettings(new Dictionary<string, string>
        {
            ["Rag:Storage:Vectors"] = "Qdrant",
            ["Rag:Storage:Qdrant:Url"] = qdrant.Address.ToString(),
            ["Rag:Storage:Qdrant:ApiKey"] = "qdrant-secret",
            ["Rag:Models:Embedder:Path"] = Path.Combine(ModelServiceFixture.Models, "tiny-embedder"),
            ["Rag:Models:Decoder:Path"] = Path.Combine(ModelServiceFixture.Models, "tiny-decoder"),
            ["Rag:Chunking:MaxTokens"] = "64",
            ["Rag:Chunking:OverlapTokens"] = "8",
        }, await TestPostgres.CreateDatabaseAsync());
        settings["Rag:Storage:SegmentCache"] = "Qdrant"; // PostgresSettings put it in PostgreSQL
        await using var server = await InProcessService.StartAsync(settings);
        using var client = server.Client();

        // Qdrant briefly unavailable (a restart, a shard moving): the calls are retried and the document becomes ready.
        qdrant.FailNext(StatusCode.Unavailable, StatusCode.Unavailable);
        var ready = await client.IngestAsync("harbour", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown));
        Assert.Equal("ready", ready["state"].Text());
        Assert.True(qdrant.PointCount("rag_chunks_128") >= ready["chunk_count"]!.GetValue<int>(), "every chunk has a point");
        Assert.Equal(ready["chunk_count"]!.GetValue<int>(), qdrant.PointCount("rag_units_128")); // each chunk's sentence vectors, one multivector point

        // A compressed /ask ranks the retrieved chunks' sentences with the vectors stored in Qdrant.
        var asked = await client.PostJsonAsync("/v1/collections/harbour/ask",
            new { question = "When was the lighthouse built?", top_k = 3, compression = new { method = "coarse_to_fine", rate = 0.5 } });
        Assert.Contains("1854", asked["compressed_prompt"].Text());
        Assert.Contains("Points/Get", qdrant.Calls); // the units read back by id

        var dense = await client.PostJsonAsync("/v1/collections/harbour/search", new { query = "lighthouse built 1854", top_k = 3, mode = "dense" });
        Assert.Equal("dense", dense["mode"].Text());
        Assert.Equal(ready["id"].Text(), dense["results"]![0]!["document_id"].Text());
        var hybrid = await client.PostJsonAsync("/v1/collections/harbour/search", new { query = "lighthouse", top_k = 3 });
        Assert.Equal("hybrid", hybrid["mode"].Text());
        Assert.Empty((await client.PostJsonAsync("/v1/collections/harbour/search", new { query = "lighthouse", top_k = 3, mode = "dense", tags = new[] { "absent" } }))["results"]!.AsArray());

        var context = string.Concat(Enumerable.Repeat(Documents.HandbookMarkdown, 3));
        var first = await client.PostJsonAsync("/v1/compress", new { context, question = "When was the lighthouse built?", rate = 0.4, method = "segment" });
        var again = await client.PostJsonAsync("/v1/compress", new { context, question = "When was the lighthouse built?", rate = 0.4, method = "segment" });
        Assert.True(first["cache_misses"]!.GetValue<int>() > 0);
        Assert.Equal(0, again["cache_misses"]!.GetValue<int>());
        Assert.True(qdrant.PointCount("rag_segment_cache") > 0);

        // Deleting the document deletes its points.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/collections/harbour/documents/{ready["id"].Text()}")).StatusCode);
        Assert.Equal(0, qdrant.PointCount("rag_chunks_128"));
        Assert.Equal(0, qdrant.PointCount("rag_units_128"));
        Assert.Empty(qdrant.Refusals);
        Assert.Equal(0, qdrant.UnwaitedWrites);

        // A collection someone configured differently: Qdrant refuses the write, and the document fails saying why.
        qdrant.Recreate("rag_chunks_128", "other", 128);
        var refused = await client.IngestAsync("harbour", "second.md", Documents.Utf8("# Second\n\nThe ferry leaves at noon from the old pier."));
        Assert.Equal("failed", refused["state"].Text());
        Assert.Contains("Qdrant, the vector store, refused the document's vectors (InvalidArgument)", refused["error"].Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("rag_chunks", refused["error"].Text(), StringComparison.Ordinal); // Qdrant's own words stay in the log
        Assert.Contains("Qdrant refused upsert into rag_chunks_128: InvalidArgument: Wrong input: Not existing vector name error: dense", server.Log, StringComparison.Ordinal);
    }
}
