using System.Net;
using System.Text.Json.Nodes;
using System.Net.Http.Json;

namespace Rag.Api.Tests;

/// <summary>Runs in both deployments: embedded (<see cref="EmbeddedEndToEndTests"/>) and PostgreSQL with api and worker processes (<see cref="PostgresEndToEndTests"/>).</summary>
public abstract class EndToEndTests(ServiceFixture service)
{
    [Fact]
    public async Task Upload_ready_search_ask_and_delete()
    {
        using var client = service.Admin();

        var accepted = await (await client.UploadFileAsync("harbour", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown), tags: "ops,2024"))
            .ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", accepted["state"].Text());
        Assert.False(accepted["duplicate"]!.GetValue<bool>());
        var id = accepted["id"].Text();
        var statusUrl = accepted["status_url"].Text();
        Assert.Equal($"/v1/collections/harbour/documents/{id}", statusUrl);

        var ready = await client.WaitUntilFinalAsync(statusUrl);
        Assert.Equal("ready", ready["state"].Text());
        Assert.Equal(1.0, ready["progress"]!.GetValue<double>());
        Assert.Equal("markdown", ready["kind"].Text());
        Assert.Equal(["ops", "2024"], ready["tags"]!.AsArray().Select(t => t.Text()));

        var search = await client.PostJsonAsync("/v1/collections/harbour/search", new { query = "when was the lighthouse built", top_k = 3 });
        var top = search["results"]![0]!;
        Assert.Equal(id, top["document_id"].Text());
        Assert.Contains("1854", top["text"].Text(), StringComparison.Ordinal);
        var content = await client.GetStringAsync($"{statusUrl}/content");
        Assert.Equal(top["text"].Text(), content[top["start"]!.GetValue<int>()..top["end"]!.GetValue<int>()]);

        var answer = await client.PostJsonAsync("/v1/collections/harbour/ask", new { question = "When was the lighthouse built?", top_k = 3, budget_tokens = 40 });
        Assert.Equal("extractive", answer["mode"].Text());
        var citation = answer["citations"]![0]!;
        var (start, end) = (citation["start"]!.GetValue<int>(), citation["end"]!.GetValue<int>());
        Assert.Contains("1854", content[start..end], StringComparison.Ordinal);
        Assert.Equal(citation["quote"].Text(), content[start..end]);
        Assert.Equal(id, citation["document_id"].Text());
        Assert.StartsWith($"{id}:", citation["chunk_id"].Text(), StringComparison.Ordinal);
        Assert.Contains("[1]", answer["answer"].Text(), StringComparison.Ordinal);
        var figures = answer["figures"]!;
        Assert.InRange(figures["tokens_returned"]!.GetValue<int>(), 1, 40);
        Assert.True(figures["tokens_retrieved"]!.GetValue<int>() >= figures["tokens_returned"]!.GetValue<int>());
        // The stages are parts of the whole: retrieval is timed, and within the total.
        var timings = figures["timings_ms"]!;
        Assert.True(timings["retrieve"]!.GetValue<double>() > 0);
        Assert.True(timings["total"]!.GetValue<double>() >= timings["retrieve"]!.GetValue<double>());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(statusUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(statusUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(statusUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/v1/collections/harbour/search", new { query = "lighthouse" })).StatusCode);
    }

    [Fact]
    public async Task The_same_bytes_twice_point_to_the_same_document()
    {
        using var client = service.Admin();
        var bytes = Documents.Utf8("The fog horn sounds every thirty seconds in fog.");

        var first = await (await client.UploadFileAsync("dedupe", "fog.txt", bytes)).ExpectAsync(HttpStatusCode.Accepted);
        var second = await (await client.UploadFileAsync("dedupe", "fog-copy.txt", bytes)).ExpectAsync(HttpStatusCode.OK);
        var asJson = await (await client.UploadTextAsync("dedupe", new { text = "The fog horn sounds every thirty seconds in fog." })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(first["id"].Text(), second["id"].Text());
        Assert.Equal(first["id"].Text(), asJson["id"].Text());
        Assert.True(second["duplicate"]!.GetValue<bool>());
        await client.WaitUntilFinalAsync(first["status_url"].Text());
        var list = await (await client.GetAsync("/v1/collections/dedupe/documents")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(list["documents"]!.AsArray());
    }

    [Fact]
    public async Task Every_format_is_ingested_and_every_chunk_is_its_span_of_the_content()
    {
        using var client = service.Admin();
        var pdf = Pdf("The harbour master keeps the tide tables.", "Ships may enter at high water only.");
        var uploads = new (string Name, byte[] Bytes, string Kind)[]
        {
            ("handbook.md", Documents.Utf8(Documents.HandbookMarkdown), "markdown"),
            ("ferry.html", Documents.Utf8(Documents.FerryHtml), "html"),
            ("tides.py", Documents.Utf8(Documents.PythonCode), "code:python"),
            ("notes.txt", Documents.Utf8(string.Join("\n\n", Enumerable.Range(1, 80).Select(i => $"Note {i}: the buoy number {i} is painted red and green."))), "text"),
            ("master.pdf", pdf, "pdf"),
            ("Berth.cs", Documents.Utf8("namespace Harbour;\n\npublic sealed class Berth\n{\n    public int Number { get; init; }\n\n    public string Describe() => $\"berth {Number}\";\n}\n"), "code:csharp"),
            ("berth.go", Documents.Utf8("package harbour\n\nfunc Describe(n int) string {\n\treturn \"berth\"\n}\n"), "code:go"),
        };

        foreach (var (name, bytes, kind) in uploads)
        {
            var status = await client.IngestAsync("formats", name, bytes);
            Assert.True(status["state"].Text() == "ready", $"{name}: {status}");
            Assert.Equal(kind, status["kind"].Text());

            var url = status["status_url"].Text();
            var content = await client.GetStringAsync($"{url}/content");
            var chunks = await (await client.GetAsync($"{url}/chunks")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(status["chunk_count"]!.GetValue<int>(), chunks.AsArray().Count);
            foreach (var chunk in chunks.AsArray())
            {
                var (start, end) = (chunk!["start"]!.GetValue<int>(), chunk["end"]!.GetValue<int>());
                Assert.Equal(chunk["text"].Text(), content[start..end]);
                Assert.InRange(chunk["token_count"]!.GetValue<int>(), 1, 128);
            }
        }

        var ferry = await client.PostJsonAsync("/v1/collections/formats/ask", new { question = "Which berth does the island ferry leave from?" });
        Assert.Contains("berth seven", ferry["citations"]![0]!["quote"].Text(), StringComparison.Ordinal);
        var master = await client.PostJsonAsync("/v1/collections/formats/search", new { query = "harbour master tide tables" });
        Assert.Contains("tide tables", master["results"]![0]!["text"].Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_text_with_tags_is_found_only_through_its_tags()
    {
        using var client = service.Admin();
        var ops = await (await client.UploadTextAsync("tagged", new { text = "# Rota\n\nThe night watch rotates weekly.", file_name = "rota.md", title = "Rota", tags = new[] { "ops" } }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var finance = await (await client.UploadTextAsync("tagged", new { text = "The watch budget rotates yearly.", tags = new[] { "finance" } }))
            .ExpectAsync(HttpStatusCode.Accepted);
        await client.WaitUntilFinalAsync(ops["status_url"].Text());
        await client.WaitUntilFinalAsync(finance["status_url"].Text());
        Assert.Equal("Rota", ops["title"].Text());
        Assert.Equal("markdown", ops["kind"].Text());

        var all = await client.PostJsonAsync("/v1/collections/tagged/search", new { query = "watch rotates" });
        var onlyOps = await client.PostJsonAsync("/v1/collections/tagged/search", new { query = "watch rotates", tags = new[] { "ops" } });

        Assert.Equal(2, all["results"]!.AsArray().Count);
        var hit = Assert.Single(onlyOps["results"]!.AsArray());
        Assert.Equal(ops["id"].Text(), hit!["document_id"].Text());
    }

    [Fact]
    public async Task A_corrupt_pdf_and_binary_junk_fail_with_a_reason_and_harm_nothing_else()
    {
        using var client = service.Admin();
        var good = await client.IngestAsync("damaged", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown));
        var pdf = Pdf("Some text.");

        var corrupt = await client.IngestAsync("damaged", "broken.pdf", pdf[..(pdf.Length / 2)]);
        var junk = await client.IngestAsync("damaged", "junk.txt", Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251 + 3)).ToArray());

        Assert.Equal("ready", good["state"].Text());
        Assert.Equal("failed", corrupt["state"].Text());
        Assert.Contains("could not be read as a PDF", corrupt["error"].Text(), StringComparison.Ordinal);
        Assert.Equal("failed", junk["state"].Text());
        Assert.Contains("not valid UTF-8", junk["error"].Text(), StringComparison.Ordinal);
        var answer = await client.PostJsonAsync("/v1/collections/damaged/ask", new { question = "How much does mooring cost?" });
        Assert.Contains("twelve euros", answer["answer"].Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Documents_are_listed_in_pages()
    {
        using var client = service.Admin();
        for (var i = 0; i < 5; i++)
            await (await client.UploadTextAsync("paging", new { text = $"Document number {i}." })).ExpectAsync(HttpStatusCode.Accepted);

        var first = await (await client.GetAsync("/v1/collections/paging/documents?limit=3")).ExpectAsync(HttpStatusCode.OK);
        var next = first["next_after"].Text();
        var second = await (await client.GetAsync($"/v1/collections/paging/documents?limit=3&after={next}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(3, first["documents"]!.AsArray().Count);
        Assert.Equal(2, second["documents"]!.AsArray().Count);
        Assert.Null(second["next_after"]);
        var ids = first["documents"]!.AsArray().Concat(second["documents"]!.AsArray()).Select(d => d!["id"].Text()).ToList();
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public async Task OpenApi_health_and_collections_answer()
    {
        using var client = service.Admin();
        await client.IngestAsync("listed", "a.txt", Documents.Utf8("Listed collection."));

        var openApi = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        Assert.NotNull(openApi["paths"]!["/v1/collections/{collection}/ask"]);
        var upload = openApi["paths"]!["/v1/collections/{collection}/documents"]!["post"]!["requestBody"]!["content"]!;
        Assert.Equal("binary", upload["multipart/form-data"]!["schema"]!["properties"]!["file"]!["format"].Text());
        Assert.NotNull(upload["application/json"]);
        Assert.Equal(["question"], openApi["components"]!["schemas"]!["AskRequest"]!["required"]!.AsArray().Select(r => r.Text()));
        var health = JsonNode.Parse(await client.GetStringAsync("/healthz"))!;
        Assert.Equal("Healthy", health["status"].Text());
        Assert.Equal("Healthy", health["checks"]!["store"]!["status"].Text());
        var collections = await (await client.GetAsync("/v1/collections")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("listed", collections["collections"]!.AsArray().Select(c => c.Text()));
    }

    internal static byte[] Pdf(params string[] lines) => Rag.Tests.Shared.TestFiles.Pdf(lines);
}

[Collection(ServiceCollection.Name)]
public sealed class EmbeddedEndToEndTests(ServiceFixture service) : EndToEndTests(service);

[Collection(PostgresServiceCollection.Name)]
[Trait("Tier", "Process")]
public sealed class PostgresEndToEndTests(PostgresServiceFixture service) : EndToEndTests(service);
