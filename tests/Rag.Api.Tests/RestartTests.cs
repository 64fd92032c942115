using System.Net;
using System.Text;
using Rag.Retrieval.Stores;
using Rag.Storage.Embedded;

namespace Rag.Api.Tests;

/// <summary>A crash in the middle of ingestion loses nothing accepted and duplicates nothing.</summary>
[Trait("Tier", "Process")]
public sealed class RestartTests
{
    private const int DocumentCount = 8;

    [Fact]
    public async Task After_a_kill_in_the_middle_of_ingesting_every_document_becomes_ready_once()
    {
        var dataPath = RagServer.NewDataPath();
        var settings = new Dictionary<string, string> { ["Rag:Ingestion:Workers"] = "1", ["Rag:Models:Embedder:Name"] = "none", ["Rag:Models:Scorer:Name"] = "none", ["Rag:Chunking:MaxTokens"] = "96", ["Rag:Chunking:OverlapTokens"] = "16" };
        var documents = Enumerable.Range(0, DocumentCount).Select(i => Documents.MarkedMarkdown(i, 300)).ToList();
        var ids = new List<string>();

        await using (var first = await RagServer.StartAsync(settings, dataPath))
        {
            using var client = first.Client();
            foreach (var (document, i) in documents.Select((d, i) => (d, i)))
            {
                var accepted = await (await client.UploadFileAsync("crash", $"doc-{i}.md", document)).ExpectAsync(HttpStatusCode.Accepted);
                ids.Add(accepted["id"].Text());
            }

            await first.KillAsync();
        }

        // The kill came while work was left: otherwise this test would prove nothing.
        var store = SqliteDocumentStore.Open(Path.Combine(dataPath, "rag.db"));
        var unfinished = await store.ListUnfinishedAsync(CancellationToken.None);
        Assert.NotEmpty(unfinished);

        await using var second = await RagServer.StartAsync(settings, dataPath);
        using var again = second.Client();
        Assert.Contains("Resumed ingestion of", second.Log, StringComparison.Ordinal);
        foreach (var id in ids)
        {
            var status = await again.WaitUntilFinalAsync($"/v1/collections/crash/documents/{id}", timeoutSeconds: 120);
            Assert.Equal("ready", status["state"].Text());
        }

        // Same chunks as a clean ingestion of the same bytes, and each exactly once.
        foreach (var (document, i) in documents.Select((d, i) => (d, i)))
        {
            var control = await again.IngestAsync("control", $"doc-{i}.md", document);
            var crashed = await (await again.GetAsync($"/v1/collections/crash/documents/{ids[i]}/chunks")).ExpectAsync(HttpStatusCode.OK);
            var clean = await (await again.GetAsync($"{control["status_url"].Text()}/chunks")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(clean.ToJsonString().Replace(control["id"].Text(), ids[i], StringComparison.Ordinal), crashed.ToJsonString());

            var search = await again.PostJsonAsync("/v1/collections/crash/search", new { query = $"marker{i}x", top_k = 100 });
            var hits = search["results"]!.AsArray().Select(r => r!["chunk_id"].Text()).ToList();
            Assert.Single(hits);
        }

        var list = await (await again.GetAsync("/v1/collections/crash/documents")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(DocumentCount, list["documents"]!.AsArray().Count);
    }

    [Fact]
    public async Task After_a_kill_in_the_middle_of_a_batch_every_accepted_document_becomes_ready_once()
    {
        const int count = 400;
        var dataPath = RagServer.NewDataPath();
        var settings = new Dictionary<string, string> { ["Rag:Ingestion:Workers"] = "1", ["Rag:Models:Embedder:Name"] = "none", ["Rag:Models:Scorer:Name"] = "none" };
        var lines = Enumerable.Range(0, count).Select(i =>
            $$"""{"text": "Logbook page {{i}}: the keeper noted marker{{i}}x and {{i % 17}} ships at the north pier.", "title": "page {{i}}"}""");
        List<string> ids;
        await using (var first = await RagServer.StartAsync(settings, dataPath))
        {
            using var client = first.Client();
            var batch = await (await client.PostAsync("/v1/collections/crash-batch/documents:batch",
                new StringContent(string.Join("\n", lines), Encoding.UTF8, "application/x-ndjson"))).ExpectAsync(HttpStatusCode.Accepted);
            ids = [.. batch["documents"]!.AsArray().Select(d => d!["id"].Text())];
            await first.KillAsync();
        }

        var store = SqliteDocumentStore.Open(Path.Combine(dataPath, "rag.db"));
        Assert.NotEmpty(await store.ListUnfinishedAsync(CancellationToken.None));

        await using var second = await RagServer.StartAsync(settings, dataPath);
        using var again = second.Client();
        foreach (var id in ids)
            Assert.Equal("ready", (await again.WaitUntilFinalAsync($"/v1/collections/crash-batch/documents/{id}", timeoutSeconds: 120))["state"].Text());

        // Every page once: its one chunk is found by its marker, never twice.
        foreach (var i in new[] { 0, 1, count / 2, count - 1 }.Concat(Enumerable.Range(0, count).Where(i => i % 37 == 5)))
        {
            var search = await again.PostJsonAsync("/v1/collections/crash-batch/search", new { query = $"marker{i}x", top_k = 10, mode = "lexical" });
            Assert.Single(search["results"]!.AsArray());
        }

        var listed = await (await again.GetAsync("/v1/collections/crash-batch/documents?limit=1000")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(count, listed["documents"]!.AsArray().Count);
    }

    [Fact]
    public async Task Without_api_keys_the_service_says_it_listens_on_loopback_only()
    {
        await using var server = await RagServer.StartAsync(new Dictionary<string, string>());
        using var client = server.Client();

        Assert.Contains("authentication is off, so Rag listens on loopback only", server.Log, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/collections")).StatusCode);
    }
}
