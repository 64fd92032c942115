using Rag.Retrieval.Chunking;
using Grpc.Core;
using Qdrant.Client.Grpc;
using Rag.Qdrant.StandIn;
using Rag.Retrieval.Vectors;
using Rag.Storage.Qdrant;

namespace Rag.Retrieval.Tests.Qdrant;

/// <summary>The official client behind Rag's connection, against the gRPC stand-in: retries, api-key, and refusals Qdrant would give.</summary>
public sealed class QdrantConnectionTests : IAsyncLifetime
{
    private QdrantStandIn _qdrant = null!;

    public async Task InitializeAsync() => _qdrant = await QdrantStandIn.StartAsync();

    public async Task DisposeAsync() => await _qdrant.DisposeAsync();

    private QdrantConnection Connection(string? apiKey = null, int maxAttempts = 5) =>
        new(new QdrantOptions { Url = _qdrant.Address.ToString(), ApiKey = apiKey, MaxAttempts = maxAttempts }, baseDelay: TimeSpan.FromMilliseconds(10));

    private static VectorParamsMap Dense(int size) => new() { Map = { [QdrantVectorIndex.VectorName] = new VectorParams { Size = (ulong)size, Distance = Distance.Cosine } } };

    [Fact]
    public async Task Transient_failures_are_retried_until_the_call_succeeds()
    {
        using var connection = Connection();
        _qdrant.FailNext(StatusCode.Unavailable, StatusCode.ResourceExhausted, StatusCode.Aborted);

        var names = await connection.CallAsync("list collections", (c, ct) => c.ListCollectionsAsync(ct), CancellationToken.None);

        Assert.Empty(names);
        Assert.Equal(4, _qdrant.Calls.Count(c => c == "Collections/List"));
    }

    [Fact]
    public async Task Retries_end_after_max_attempts_as_a_transient_error_with_the_servers_words()
    {
        using var connection = Connection(maxAttempts: 2);
        _qdrant.FailNext(StatusCode.Unavailable, StatusCode.Unavailable, StatusCode.Unavailable);

        var error = await Assert.ThrowsAsync<QdrantException>(() => connection.CallAsync("list collections", (c, ct) => c.ListCollectionsAsync(ct), CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("list collections after 2 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("stand-in: injected failure", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _qdrant.Calls.Count);
    }

    [Fact]
    public async Task The_api_key_is_sent_and_a_refusal_is_permanent_and_not_retried()
    {
        _qdrant.ApiKey = "secret-key";
        using var wrong = Connection("wrong");

        var refused = await Assert.ThrowsAsync<QdrantException>(() => wrong.CallAsync("list collections", (c, ct) => c.ListCollectionsAsync(ct), CancellationToken.None));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.False(refused.IsTransient);
        Assert.Contains("Must provide an API key", refused.Message, StringComparison.Ordinal);
        Assert.Single(_qdrant.Calls);

        using var right = Connection("secret-key");
        Assert.Empty(await right.CallAsync("list collections", (c, ct) => c.ListCollectionsAsync(ct), CancellationToken.None));
    }

    [Fact]
    public async Task Creating_an_existing_collection_is_not_an_error_and_a_missing_one_is_named()
    {
        using var connection = Connection();
        Assert.True(await connection.CreateCollectionAsync("twice", Dense(4), CancellationToken.None));
        Assert.False(await connection.CreateCollectionAsync("twice", Dense(4), CancellationToken.None));

        var missing = await Assert.ThrowsAsync<QdrantException>(() => connection.CallAsync("count in absent",
            (c, ct) => c.CountAsync("absent", cancellationToken: ct), CancellationToken.None));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("count in absent", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Collection `absent` doesn't exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_Qdrant_refuses_the_stand_in_refuses_and_the_adapter_names_it()
    {
        using var connection = Connection();
        await connection.CreateCollectionAsync("c", Dense(4), CancellationToken.None);
        var id = QdrantVectorIndex.PointId("c", "doc", 0);

        async Task<QdrantException> Refused(string operation, Func<global::Qdrant.Client.QdrantClient, CancellationToken, Task> call) =>
            await Assert.ThrowsAsync<QdrantException>(() => connection.CallAsync(operation, call, CancellationToken.None));

        var size = await Refused("upsert", (c, ct) => c.UpsertAsync("c", [new PointStruct { Id = id, Vectors = new Dictionary<string, float[]> { ["dense"] = [1f, 2f, 3f] } }], cancellationToken: ct));
        Assert.Contains("Vector dimension error: expected dim: 4, got 3", size.Message, StringComparison.Ordinal);

        var name = await Refused("upsert", (c, ct) => c.UpsertAsync("c", [new PointStruct { Id = id, Vectors = new Dictionary<string, float[]> { ["sparse"] = [1f, 2f, 3f, 4f] } }], cancellationToken: ct));
        Assert.Contains("Not existing vector name error: sparse", name.Message, StringComparison.Ordinal);

        var multi = await Refused("upsert", (c, ct) => c.UpsertAsync("c", [new PointStruct { Id = id, Vectors = new Dictionary<string, Vector> { ["dense"] = new[] { new[] { 1f, 0, 0, 0 }, [0, 1f, 0, 0] } } }], cancellationToken: ct));
        Assert.Contains("multi", multi.Message, StringComparison.Ordinal);

        var filter = await Refused("count", (c, ct) => c.CountAsync("c", new Filter { Must = { new Condition() } }, cancellationToken: ct));
        Assert.Contains("condition", filter.Message, StringComparison.Ordinal);

        var badId = await Refused("retrieve", (c, ct) => c.RetrieveAsync("c", [new PointId { Uuid = "not-a-uuid" }], cancellationToken: ct));
        Assert.Contains("Unable to parse UUID", badId.Message, StringComparison.Ordinal);

        foreach (var error in new[] { size, name, multi, filter, badId })
        {
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.False(error.IsTransient);
        }

        Assert.Equal(5, _qdrant.Refusals.Count);
    }

    [Fact]
    public async Task Unit_vectors_are_scored_by_max_sim_over_each_chunks_units()
    {
        using var connection = Connection();
        var index = new QdrantVectorIndex(connection, "m_");
        float[] Unit(int axis) => [.. Enumerable.Range(0, 4).Select(i => i == axis ? 1f : 0f)];
        await index.UpsertAsync("c", "doc", [], "m", [
            new ChunkVector(0, [1, 1, 0, 0], [new UnitVector(0, 5, Unit(0)), new UnitVector(6, 11, Unit(1))]),
            new ChunkVector(1, [0, 0, 1, 1], [new UnitVector(0, 5, Unit(2)), new UnitVector(6, 11, Unit(3))]),
        ], CancellationToken.None);

        var hits = await index.SearchUnitsAsync("c", Unit(3), "m", 2, null, CancellationToken.None);

        Assert.Equal([1, 0], hits.Select(h => h.ChunkIndex));
        Assert.Equal(1f, hits[0].Score, 4);
        Assert.Equal(0f, hits[1].Score, 4);
        var units = await index.GetUnitsAsync("c", "m", [new("doc", 1)], CancellationToken.None);
        Assert.Equal([(0, 5), (6, 5)], units[new("doc", 1)].Select(u => (u.Start, u.Length)));
        Assert.Equal(0, _qdrant.UnwaitedWrites);
    }

    [Fact]
    public async Task Over_tls_a_self_signed_certificate_is_accepted_by_its_thumbprint_and_refused_without_it()
    {
        await using var tls = await QdrantStandIn.StartAsync(tls: true);
        Assert.Equal("https", tls.Address.Scheme);
        QdrantConnection Over(string? thumbprint) =>
            new(new QdrantOptions { Url = tls.Address.ToString(), CertificateThumbprint = thumbprint, MaxAttempts = 1 });

        using (var trusted = Over(tls.CertificateThumbprint))
            Assert.Empty(await trusted.CallAsync("list collections", (c, ct) => c.ListCollectionsAsync(ct), CancellationToken.None));

        using var untrusted = Over(new string('0', 64));
        var refused = await Assert.ThrowsAsync<QdrantException>(() => untrusted.CallAsync("list collections", (c, ct) => c.ListCollectionsAsync(ct), CancellationToken.None));
        // The channel reports a failed handshake as Internal: permanent, so a wrong certificate is not retried.
        Assert.Equal(StatusCode.Internal, refused.StatusCode);
        Assert.False(refused.IsTransient);
        Assert.Single(tls.Calls); // the trusted call only: the other handshake failed before any call
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

    [Theory]
    [InlineData("http://qdrant", "http://qdrant:6334/")]
    [InlineData("http://qdrant:7000", "http://qdrant:7000/")]
    [InlineData("https://q.example.com", "https://q.example.com:6334/")]
    [InlineData("https://q.example.com:443", "https://q.example.com/")]
    public void The_endpoint_is_grpc_on_6334_unless_a_port_is_named(string url, string endpoint) =>
        Assert.Equal(endpoint, new QdrantOptions { Url = url }.Endpoint().ToString());

    [Fact]
    public void A_rest_era_url_on_6333_is_refused_at_start_saying_which_port_to_use()
    {
        var result = new QdrantOptionsValidator().Validate(null, new QdrantOptions { Url = "http://qdrant:6333" });

        Assert.True(result.Failed);
        Assert.Contains("Rag:Storage:Qdrant:Url names port 6333, Qdrant's REST port", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("http://qdrant:6334", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new QdrantOptionsValidator().Validate(null, new QdrantOptions { Url = "http://qdrant" }).Succeeded);
        Assert.Equal("gRPC http://qdrant:6334 (TLS off, api-key set)", new QdrantOptions { Url = "http://qdrant", ApiKey = "k" }.Describe());
    }
}
