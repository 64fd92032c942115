using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Rag.Tests.Shared;

namespace Rag.Api.Tests;

/// <summary>documents:batch on both deployments: JSON lines and multipart, bad items refused one by one, duplicates found, every accepted document ingested once.</summary>
public abstract class BatchUploadTests(ServiceFixture service)
{
    private static StringContent Lines(params string[] lines) =>
        new(string.Join("\n", lines) + "\n", Encoding.UTF8, "application/x-ndjson");

    private static async Task<JsonNode> WaitAllFinalAsync(HttpClient client, IEnumerable<JsonNode?> entries)
    {
        JsonNode? last = null;
        foreach (var url in entries.Where(e => e!["status_url"] is not null).Select(e => e!["status_url"].Text()).Distinct())
            last = await client.WaitUntilFinalAsync(url);
        return last!;
    }

    [Fact]
    public async Task Json_lines_with_bad_lines_and_duplicates_ingest_every_good_line_once()
    {
        using var client = service.Admin();
        var existing = await client.IngestAsync("batch-lines", "old.md", Documents.Utf8("# Old\n\nThe old pier was rebuilt in 1902."));

        var response = await client.PostAsync("/v1/collections/batch-lines/documents:batch", Lines(
            """{"text": "The ferry to the island leaves at seven.", "title": "Ferry", "tags": ["boats"]}""",
            "",
            """{"text": "", "title": "empty"}""",
            "not json at all",
            """{"text": "The ferry to the island leaves at seven.", "title": "Ferry again"}""",
            """{"text": "x", "tags": "not-a-list"}""",
            """{"text": "A", "text": "B"}""",
            """{"text": "# Tides\n\nHigh water is at noon in May.", "file_name": "tides.md", "tags": ["sea"]}""",
            """{"text": "# Old\n\nThe old pier was rebuilt in 1902.", "file_name": "old.md"}"""));
        var batch = await response.ExpectAsync(HttpStatusCode.Accepted);

        Assert.Equal(2, batch["accepted"]!.GetValue<int>());
        Assert.Equal(2, batch["duplicates"]!.GetValue<int>());
        Assert.Equal(4, batch["rejected"]!.GetValue<int>());
        var entries = batch["documents"]!.AsArray();
        Assert.Equal([1, 3, 4, 5, 6, 7, 8, 9], entries.Select(e => e!["item"]!.GetValue<int>()));
        JsonNode Item(int n) => entries.Single(e => e!["item"]!.GetValue<int>() == n)!;

        // Bad lines name their line and field, with the words a single upload would get.
        Assert.Contains("text", Item(3)["error"]!["errors"]!.AsObject().Select(p => p.Key));
        Assert.Contains("line", Item(4)["error"]!["errors"]!.AsObject().Select(p => p.Key));
        Assert.Contains("tags", Item(6)["error"]!["errors"]!.AsObject().Select(p => p.Key));
        Assert.Equal(400, Item(7)["error"]!["status"]!.GetValue<int>());
        Assert.Null(Item(3)["id"]);

        // The same text twice in one batch is one document; the same bytes as an existing document point to it.
        Assert.Equal(Item(1)["id"].Text(), Item(5)["id"].Text());
        Assert.True(Item(5)["duplicate"]!.GetValue<bool>());
        Assert.False(Item(1)["duplicate"]!.GetValue<bool>());
        Assert.Equal(existing["id"].Text(), Item(9)["id"].Text());

        await WaitAllFinalAsync(client, entries);
        var listed = await (await client.GetAsync("/v1/collections/batch-lines/documents")).ExpectAsync(HttpStatusCode.OK);
        var documents = listed["documents"]!.AsArray();
        Assert.Equal(3, documents.Count);
        Assert.All(documents, d => Assert.Equal("ready", d!["state"].Text()));
        var found = await client.PostJsonAsync("/v1/collections/batch-lines/search", new { query = "high water noon", tags = new[] { "sea" } });
        Assert.Equal(Item(8)["id"].Text(), found["results"]![0]!["document_id"].Text());
    }

    [Fact]
    public async Task Many_files_in_one_form_are_each_stored_or_refused_with_their_reason()
    {
        using var client = service.Admin();
        using var form = new MultipartFormDataContent();
        void Add(string name, string media, byte[] bytes)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(media);
            form.Add(part, "file", name);
        }

        Add("handbook.md", "text/markdown", Documents.Utf8(Documents.HandbookMarkdown));
        Add("photo.png", "image/png", [0x89, 0x50, 0x4e, 0x47]);
        Add("ferry.html", "text/html", Documents.Utf8(Documents.FerryHtml));
        Add("empty.txt", "text/plain", []);
        form.Add(new StringContent("harbour,2026"), "tags");

        var batch = await (await client.PostAsync("/v1/collections/batch-files/documents:batch", form)).ExpectAsync(HttpStatusCode.Accepted);

        var entries = batch["documents"]!.AsArray();
        Assert.Equal(["handbook.md", "photo.png", "ferry.html", "empty.txt"], entries.Select(e => e!["file_name"].Text()));
        Assert.Equal(415, entries[1]!["error"]!["status"]!.GetValue<int>());
        Assert.Contains("file", entries[3]!["error"]!["errors"]!.AsObject().Select(p => p.Key));
        await WaitAllFinalAsync(client, entries);
        var document = await (await client.GetAsync(entries[2]!["status_url"].Text())).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("ready", document["state"].Text());
        Assert.Equal(["2026", "harbour"], document["tags"]!.AsArray().Select(t => t.Text()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_larger_than_a_job_group_is_ingested_whole()
    {
        using var client = service.Admin();
        // 70 documents: three groups of the default 32 in the small lane.
        var lines = Enumerable.Range(1, 70).Select(i => $$"""{"text": "Passage {{i}}: the lighthouse keeper logged {{i * 7}} ships on day {{i}}.", "title": "p{{i}}"}""").ToArray();
        var batch = await (await client.PostAsync("/v1/collections/batch-groups/documents:batch", Lines(lines))).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(70, batch["accepted"]!.GetValue<int>());

        await WaitAllFinalAsync(client, batch["documents"]!.AsArray());
        var listed = await (await client.GetAsync("/v1/collections/batch-groups/documents?limit=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(70, listed["documents"]!.AsArray().Count(d => d!["state"].Text() == "ready"));
    }

    [Fact]
    public async Task A_batch_reports_its_progress_until_finished()
    {
        using var client = service.Admin();
        var lines = Enumerable.Range(1, 40).Select(i => $$"""{"text": "Log {{i}}: the tug towed {{i * 3}} barges past the breakwater."}""").ToArray();
        var batch = await (await client.PostAsync("/v1/collections/batch-progress/documents:batch", Lines([.. lines, lines[0]]))).ExpectAsync(HttpStatusCode.Accepted);
        var url = batch["status_url"].Text();
        Assert.Equal($"/v1/collections/batch-progress/batches/{batch["batch_id"].Text()}", url);

        var first = await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(40, first["documents"]!.GetValue<int>()); // the duplicate line is not a document of its own
        Assert.Equal(40, new[] { "queued", "running", "ready", "failed" }.Sum(k => first[k]!.GetValue<int>()));

        await WaitAllFinalAsync(client, batch["documents"]!.AsArray());
        var done = await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(done["finished"]!.GetValue<bool>());
        Assert.Equal((40, 0, 1.0), (done["ready"]!.GetValue<int>(), done["queued"]!.GetValue<int>(), done["progress"]!.GetValue<double>()));
        Assert.Equal(done["bytes"]!.GetValue<long>(), done["bytes_finished"]!.GetValue<long>());
        Assert.InRange(done["tokens_indexed"]!.GetValue<long>(), 40 * 10, 40 * 40);

        // A batch is scoped to its collection and tenant: elsewhere it does not exist, and another team may not ask.
        await BadInputTests.ExpectProblemAsync(await client.GetAsync(url.Replace("batch-progress", "batch-elsewhere", StringComparison.Ordinal)), HttpStatusCode.NotFound);
        await BadInputTests.ExpectProblemAsync(await client.GetAsync("/v1/collections/batch-progress/batches/bat_000000000000000000000000"), HttpStatusCode.NotFound);
        using var teamB = service.Server.Client(ServiceFixture.TeamBKey);
        await BadInputTests.ExpectProblemAsync(await teamB.GetAsync(url), HttpStatusCode.Forbidden);
        await BadInputTests.ExpectProblemAsync(await teamB.PostAsync(url + ":cancel", null), HttpStatusCode.Forbidden);

        // A document deleted leaves its batch.
        var gone = batch["documents"]![0]!["id"].Text();
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/collections/batch-progress/documents/{gone}")).StatusCode);
        Assert.Equal(39, (await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK))["documents"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cancelling_a_batch_deletes_its_unfinished_documents_and_keeps_the_finished_ones()
    {
        using var client = service.Admin();
        var lines = Enumerable.Range(1, 200).Select(i => $$"""{"text": "Cargo note {{i}}: crate kx{{i}}q of the ship Wren held {{i}} lamps."}""").ToArray();
        var batch = await (await client.PostAsync("/v1/collections/batch-cancel/documents:batch", Lines(lines))).ExpectAsync(HttpStatusCode.Accepted);
        var url = batch["status_url"].Text();

        var cancel = await (await client.PostAsync(url + ":cancel", null)).ExpectAsync(HttpStatusCode.OK);

        var cancelled = cancel["cancelled"]!.GetValue<int>();
        Assert.InRange(cancelled, 1, 200); // 200 documents through the encoder take seconds; the cancel comes at once
        var left = cancel["batch"];
        var kept = left is null ? 0 : left["documents"]!.GetValue<int>();
        Assert.Equal(200, cancelled + kept);
        if (left is not null)
        {
            Assert.True(left["finished"]!.GetValue<bool>());
            Assert.Equal(kept, left["ready"]!.GetValue<int>() + left["failed"]!.GetValue<int>());
        }

        // Every document is ready or gone, and stays so once every cancelled document's job has run and said it
        // found its document deleted (1102: deleted before ingestion finished, 1104: stopped for the delete).
        async Task<List<string>> StatesAsync()
        {
            var states = new List<string>();
            foreach (var entry in batch["documents"]!.AsArray())
            {
                var response = await client.GetAsync(entry!["status_url"].Text());
                states.Add(response.StatusCode == HttpStatusCode.NotFound ? "gone" : (await response.ExpectAsync(HttpStatusCode.OK))["state"].Text());
            }

            return states;
        }

        var states = await StatesAsync();
        Assert.Equal(cancelled, states.Count(s => s == "gone"));
        Assert.All(states, s => Assert.Contains(s, new[] { "gone", "ready" }));
        var goneIds = batch["documents"]!.AsArray().Where((_, i) => states[i] == "gone").Select(e => e!["id"].Text()).ToList();
        await Eventually.TrueAsync(
            () =>
            {
                var ended = service.Log.Split('\n')
                    .Where(line => line.Contains("\"EventId\":1102", StringComparison.Ordinal) || line.Contains("\"EventId\":1104", StringComparison.Ordinal))
                    .ToList();
                return goneIds.All(id => ended.Any(line => line.Contains(id, StringComparison.Ordinal)));
            },
            "every cancelled document's job to end");
        Assert.Equal(states, await StatesAsync());
        var readyIds = batch["documents"]!.AsArray().Where((_, i) => states[i] == "ready").Select(e => e!["id"].Text()).ToHashSet();
        if (readyIds.Count > 0)
        {
            var found = await client.PostJsonAsync("/v1/collections/batch-cancel/search", new { query = "cargo crate lamps Wren", top_k = 50, mode = "lexical" });
            Assert.All(found["results"]!.AsArray(), r => Assert.Contains(r!["document_id"].Text(), readyIds));
        }

        var again = await (await client.PostAsync(url + ":cancel", null)).ExpectAsync(kept == 0 ? HttpStatusCode.NotFound : HttpStatusCode.OK);
        if (kept > 0)
            Assert.Equal(0, again["cancelled"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_client_ingests_many_texts_in_one_request()
    {
        var client = new Rag.Client.RagClient(service.Admin());
        var result = await client.IngestManyAsync("batch-client", [
            new("Kites fly best in a steady sea breeze."),
            new("Boats leave the harbour at high water.", Tags: ["boats"]),
            new(""),
        ]);

        Assert.Equal((2, 0, 1), (result.Accepted, result.Duplicates, result.Rejected));
        Assert.True(result.Documents[2].Error!.Errors!.ContainsKey("text"));
        foreach (var item in result.Documents.Take(2))
            Assert.Equal("ready", (await client.WaitUntilFinalAsync("batch-client", item.Id!)).State);
        var batch = await client.GetBatchAsync("batch-client", result.BatchId!);
        Assert.Equal((2, 2, true), (batch.Documents, batch.Ready, batch.Finished));
        Assert.Equal(0, (await client.CancelBatchAsync("batch-client", result.BatchId!)).Cancelled);
    }

    [Fact]
    public async Task A_batch_that_is_not_a_batch_is_refused_whole()
    {
        using var client = service.Admin();
        var wrongType = await client.PostAsync("/v1/collections/batch-bad/documents:batch", new StringContent("""{"text": "x"}""", Encoding.UTF8, "application/json"));
        await BadInputTests.ExpectProblemAsync(wrongType, HttpStatusCode.UnsupportedMediaType);
        var empty = await client.PostAsync("/v1/collections/batch-bad/documents:batch", Lines("", "  "));
        var problem = await BadInputTests.ExpectProblemAsync(empty, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["documents"]);

        using var teamB = service.Server.Client(ServiceFixture.TeamBKey);
        await BadInputTests.ExpectProblemAsync(
            await teamB.PostAsync("/v1/collections/batch-bad/documents:batch", Lines("""{"text": "planted"}""")), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/collections/batch-bad/documents")).StatusCode);
    }
}

[Collection(ServiceCollection.Name)]
public sealed class EmbeddedBatchUploadTests(ServiceFixture service) : BatchUploadTests(service);

[Collection(PostgresServiceCollection.Name)]
[Trait("Tier", "Process")]
public sealed class PostgresBatchUploadTests(PostgresServiceFixture service) : BatchUploadTests(service);
