using System.Net;
using Rag.Tests.Shared.Qdrant;
using Rag.Storage.Qdrant;

namespace Rag.Retrieval.Tests.Qdrant;

public sealed class QdrantClientTests : IAsyncLifetime
{
    private QdrantStub _stub = null!;

    public async Task InitializeAsync() => _stub = await QdrantStub.StartAsync();

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        Assert.Empty(_stub.Violations);
    }

    private QdrantClient Client(string? apiKey = null, int maxAttempts = 5) =>
        QdrantClient.Create(_stub.Address, apiKey, maxAttempts, baseDelay: TimeSpan.FromMilliseconds(10));

    [Fact]
    public async Task Rate_limits_and_unavailable_shards_are_retried_until_the_request_succeeds()
    {
        var client = Client();
        _stub.FailNext(429, 503, 429);

        Assert.True(await client.CreateCollectionAsync("retry", new Dictionary<string, VectorParams> { ["dense"] = new(4) }, CancellationToken.None));

        Assert.Equal(4, _stub.Requests.Count);
        Assert.True(await client.CollectionExistsAsync("retry", CancellationToken.None));
    }

    [Fact]
    public async Task Retries_end_after_max_attempts_with_the_servers_words()
    {
        var client = Client(maxAttempts: 2);
        _stub.FailNext(503, 503, 503);

        var error = await Assert.ThrowsAsync<QdrantException>(() => client.ListCollectionsAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("stub: transient failure", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _stub.Requests.Count);
    }

    [Fact]
    public async Task The_api_key_header_is_sent_and_a_refusal_in_plain_text_is_reported()
    {
        _stub.ApiKey = "secret-key";

        var refused = await Assert.ThrowsAsync<QdrantException>(() => Client("wrong").ListCollectionsAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Must provide an API key", refused.Message, StringComparison.Ordinal);

        Assert.Empty(await Client("secret-key").ListCollectionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Errors_carry_qdrants_message_and_creating_an_existing_collection_is_not_one()
    {
        var client = Client();
        var missing = await Assert.ThrowsAsync<QdrantException>(() => client.CountAsync("absent", QdrantFilter.All(), CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Collection `absent` doesn't exist", missing.Message, StringComparison.Ordinal);

        Assert.True(await client.CreateCollectionAsync("twice", new Dictionary<string, VectorParams> { ["dense"] = new(4) }, CancellationToken.None));
        Assert.False(await client.CreateCollectionAsync("twice", new Dictionary<string, VectorParams> { ["dense"] = new(4) }, CancellationToken.None));
    }

    [Fact]
    public void Point_ids_are_stable_rfc_9562_uuids_that_differ_per_chunk()
    {
        var id = QdrantVectorIndex.PointId("c", "doc", 3);

        Assert.Equal(id, QdrantVectorIndex.PointId("c", "doc", 3));
        Assert.NotEqual(id, QdrantVectorIndex.PointId("c", "doc", 4));
        Assert.NotEqual(id, QdrantVectorIndex.PointId("c2", "doc", 3));
        var text = id.ToString("D");
        Assert.Equal('8', text[14]);
        Assert.Contains(text[19], "89ab");
    }

    [Fact]
    public void The_contract_check_itself_rejects_a_misspelt_field()
    {
        var operation = QdrantContract.Operation("POST", "/collections/x/points/query")!;

        Assert.Empty(QdrantContract.ValidateRequest(operation, """{"query":[0.1,0.2],"using":"dense","limit":3}"""));
        Assert.NotEmpty(QdrantContract.ValidateRequest(operation, """{"query":[0.1,0.2],"usng":"dense","limit":3}"""));
        Assert.NotEmpty(QdrantContract.ValidateRequest(operation, """{"query":[0.1,0.2],"limit":"three"}"""));
        Assert.Null(QdrantContract.Operation("POST", "/collections/x/points/search"));
    }
}
