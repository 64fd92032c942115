using Rag.Tests.Shared;
using Rag.Qdrant.StandIn;

namespace Rag.Api.Tests;

/// <summary>
/// Release notes through the running service with the default encoder, in both deployments: the embedded default, and
/// PostgreSQL with vectors in Qdrant (the loopback gRPC stand-in, through the official client).
/// </summary>
public sealed class LongDocumentServiceTests
{
    [Theory]
    [InlineData("embedded")]
    [InlineData("postgres+qdrant")]
    public async Task A_paraphrase_finds_the_item_that_answers_it_in_search_and_as_the_first_citation(string deployment)
    {
        await using var qdrant = deployment == "embedded" ? null : await QdrantStandIn.StartAsync();
        var settings = new Dictionary<string, string> { ["Rag:Chunking:MaxTokens"] = "512" };
        if (qdrant is not null)
        {
            settings = PostgresServiceFixture.PostgresSettings(settings, await TestPostgres.CreateDatabaseAsync());
            settings["Rag:Storage:Vectors"] = "Qdrant";
            settings["Rag:Storage:Qdrant:Url"] = qdrant.Address.ToString();
        }

        await using var server = await InProcessService.StartAsync(settings);
        using var client = server.Client();
        var tool = (await client.IngestAsync("news", "tool-news.txt", Documents.Utf8(ReleaseNotes.Tool)))["id"].Text();
        await client.IngestAsync("news", "allocator-news.txt", Documents.Utf8(ReleaseNotes.Allocator));

        var search = await client.PostJsonAsync("/v1/collections/news/search", new { query = ReleaseNotes.Question, top_k = 2 });
        Assert.Equal("hybrid", search["mode"].Text());
        Assert.Equal(tool, search["results"]![0]!["document_id"].Text());
        Assert.Contains(ReleaseNotes.AnsweringItem, search["results"]![0]!["text"].Text(), StringComparison.Ordinal);

        var answer = await client.PostJsonAsync("/v1/collections/news/ask", new { question = ReleaseNotes.Question, top_k = 2, budget_tokens = 60 });
        Assert.Equal("extractive", answer["mode"].Text());
        Assert.Equal(ReleaseNotes.AnsweringItem, answer["citations"]![0]!["quote"].Text());
        if (qdrant is not null)
            Assert.True(qdrant.PointCount("rag_units_384") == 2, "each chunk's unit vectors are one multivector point in Qdrant");
    }
}
