using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Rag.Api.Tests.BadInputs;

/// <summary>
/// Two tenants on one service: key A (collection iso-a) and key B (collection iso-b). B learns nothing of
/// A's data through any endpoint or cache — not the data, not whether it exists, not a score or an id
/// that depends on it.
/// </summary>
[Trait("Tier", "Process")]
public sealed partial class IsolationTests(HostileFixture service) : IClassFixture<HostileFixture>
{
    private const string Secret = "The vault combination is kept in the zircon ledger beside the harbour beacon.\n\nOnly the quartermaster reads the zircon ledger.\n";

    [Fact]
    public async Task Every_endpoint_of_another_tenants_collection_answers_b_alike_whether_or_not_anything_is_there()
    {
        using var a = service.Server.Client(HostileFixture.KeyA);
        using var b = service.Server.Client(HostileFixture.KeyB);
        var secret = await a.IngestAsync("iso-a", "vault.md", Documents.Utf8(Secret + "matrix"));
        var id = secret["id"].Text();

        foreach (var (method, path, body) in Endpoints())
        {
            var real = await SendAsync(b, method, path.Replace("{id}", id, StringComparison.Ordinal), body);
            var made_up = await SendAsync(b, method, path.Replace("{id}", "doc_000000000000000000000000", StringComparison.Ordinal), body);
            var absent = await SendAsync(b, method, path.Replace("iso-a", "iso-a-none", StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal), body);

            Assert.True(real.Status == HttpStatusCode.Forbidden, $"{method} {path}: {real.Status} {real.Body}");
            Assert.Equal(Normalise(real.Body, "iso-a"), Normalise(made_up.Body, "iso-a"));
            Assert.Equal(Normalise(real.Body, "iso-a"), Normalise(absent.Body, "iso-a-none"));
        }

        var listed = await (await b.GetAsync("/v1/collections")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("iso-a", listed.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("ready", (await a.WaitUntilFinalAsync(secret["status_url"].Text()))["state"].Text()); // B's DELETE did nothing
    }

    [Fact]
    public async Task The_same_bytes_in_two_tenants_collections_have_unrelated_ids_and_are_new_to_each()
    {
        using var a = service.Server.Client(HostileFixture.KeyA);
        using var b = service.Server.Client(HostileFixture.KeyB);
        var bytes = Documents.Utf8(Secret + "ids");

        var mine = await (await a.UploadFileAsync("iso-a", "same.md", bytes)).ExpectAsync(HttpStatusCode.Accepted);
        var theirs = await (await b.UploadFileAsync("iso-b", "same.md", bytes)).ExpectAsync(HttpStatusCode.Accepted);

        Assert.NotEqual(mine["id"].Text(), theirs["id"].Text());
        Assert.NotEqual(mine["id"].Text()[..8], theirs["id"].Text()[..8]);
        Assert.False(theirs["duplicate"]?.GetValue<bool>() ?? false);
        // The same bytes again in B's own collection are B's duplicate, as always.
        var again = await (await b.UploadFileAsync("iso-b", "same.md", bytes)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(theirs["id"].Text(), again["id"].Text());
    }

    [Fact]
    public async Task Scores_in_bs_collection_do_not_move_with_as_documents()
    {
        using var a = service.Server.Client(HostileFixture.KeyA);
        using var b = service.Server.Client(HostileFixture.KeyB);
        await b.IngestAsync("iso-b", "notes.md", Documents.Utf8("# Notes\n\nThe obsidian shipment arrives on Tuesday.\n\nThe harbour office closes at noon.\n"));
        var query = new { query = "obsidian shipment", mode = "lexical" };

        var before = await b.PostJsonAsync("/v1/collections/iso-b/search", query);
        var added = await a.IngestAsync("iso-a", "obsidian.md", Documents.Utf8("obsidian obsidian shipment\n\nobsidian everywhere, obsidian in every crate.\n"));
        var beside = await b.PostJsonAsync("/v1/collections/iso-b/search", query);
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"/v1/collections/iso-a/documents/{added["id"].Text()}")).StatusCode);
        var after = await b.PostJsonAsync("/v1/collections/iso-b/search", query);

        var score = before["results"]![0]!["score"]!.GetValue<double>();
        Assert.Equal(score, beside["results"]![0]!["score"]!.GetValue<double>());
        Assert.Equal(score, after["results"]![0]!["score"]!.GetValue<double>());
    }

    [Fact]
    public async Task One_tenants_compression_is_never_anothers_cache_hit()
    {
        using var a = service.Server.Client(HostileFixture.KeyA);
        using var b = service.Server.Client(HostileFixture.KeyB);
        var context = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"Entry {i} of the private ledger records a shipment of {i * 7} crates."));
        var request = new { context, question = "How many crates were shipped?", method = "segment", rate = 0.5 };

        var first = await a.PostJsonAsync("/v1/compress", request);
        var again = await a.PostJsonAsync("/v1/compress", request);
        var other = await b.PostJsonAsync("/v1/compress", request);

        Assert.Equal(0, first["cache_hits"]!.GetValue<int>());
        Assert.True(again["cache_hits"]!.GetValue<int>() > 0, "A's own repeat is served from the cache");
        Assert.Equal(0, other["cache_hits"]!.GetValue<int>());
        Assert.Equal(first["cache_misses"]!.GetValue<int>(), other["cache_misses"]!.GetValue<int>());
    }

    private static IEnumerable<(HttpMethod Method, string Path, object? Body)> Endpoints() =>
    [
        (HttpMethod.Get, "/v1/collections/iso-a/documents", null),
        (HttpMethod.Get, "/v1/collections/iso-a/documents/{id}", null),
        (HttpMethod.Get, "/v1/collections/iso-a/documents/{id}/content", null),
        (HttpMethod.Get, "/v1/collections/iso-a/documents/{id}/chunks", null),
        (HttpMethod.Delete, "/v1/collections/iso-a/documents/{id}", null),
        (HttpMethod.Post, "/v1/collections/iso-a/documents", new { text = Secret + "matrix" }),
        (HttpMethod.Post, "/v1/collections/iso-a/search", new { query = "zircon ledger" }),
        (HttpMethod.Post, "/v1/collections/iso-a/ask", new { question = "Where is the vault combination?" }),
        (HttpMethod.Post, "/v1/collections/iso-a/ask", new { question = "Where is the vault combination?", stream = true }),
    ];

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The body without what differs per request (trace id) or per name asked for (the collection).</summary>
    private static string Normalise(string body, string collection) =>
        TraceId().Replace(body, "").Replace(collection, "{collection}", StringComparison.Ordinal);

    [GeneratedRegex("\"trace_id\":\"[^\"]*\"")]
    private static partial Regex TraceId();
}
