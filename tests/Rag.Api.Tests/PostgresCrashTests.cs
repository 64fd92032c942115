using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Tokenizers;
using Npgsql;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Parsing;
using Rag.Tests.Shared;

namespace Rag.Api.Tests;

/// <summary>
/// The server deployment's crash safety: kill -9 the worker while it ingests 100 documents on
/// PostgreSQL, start another — every accepted document ends ready, with exactly the chunks a clean
/// ingestion makes (counts and hashes), none missing or duplicated, in the store and the index; and
/// the same in the middle of a 600-document batch ingested in groups.
/// </summary>
[Trait("Tier", "Process")]
public sealed class PostgresCrashTests
{
    private const int DocumentCount = 100;
    private const int MaxTokens = 96;
    private const int OverlapTokens = 16;

    [Fact]
    public async Task A_worker_killed_mid_ingestion_loses_and_duplicates_nothing()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var settings = PostgresServiceFixture.PostgresSettings(new Dictionary<string, string>
        {
            ["Rag:Ingestion:Workers"] = "2",
            // What is under test is the stores' crash safety; lexical search checks the index exactly.
            ["Rag:Models:Embedder:Name"] = "none",
            ["Rag:Models:Scorer:Name"] = "none",
            ["Rag:Chunking:MaxTokens"] = MaxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rag:Chunking:OverlapTokens"] = OverlapTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, connectionString);
        var documents = Enumerable.Range(0, DocumentCount).Select(i => Documents.MarkedMarkdown(i, 20)).ToList();

        await using var api = await RagServer.StartAsync(settings, role: "api");
        using var client = api.Client();
        var ids = new List<string>();
        foreach (var (document, i) in documents.Select((d, i) => (d, i)))
        {
            var accepted = await (await client.UploadFileAsync("crash", $"doc-{i}.md", document)).ExpectAsync(HttpStatusCode.Accepted);
            ids.Add(accepted["id"].Text());
        }

        await using var database = NpgsqlDataSource.Create(connectionString);
        await using (var first = await RagServer.StartAsync(settings, role: "worker"))
        {
            // Kill once some documents are done and most are not: the kill lands mid-batch.
            await Eventually.ValueAsync(() => CountAsync(database, "SELECT count(*) FROM documents WHERE state = 'Ready'"), ready => ready >= 5, "five documents ready", TimeSpan.FromSeconds(120));
            await first.KillAsync();
        }

        var unfinished = await CountAsync(database, "SELECT count(*) FROM documents WHERE state NOT IN ('Ready', 'Failed')");
        Assert.InRange(unfinished, 1, DocumentCount - 5);

        await using var second = await RagServer.StartAsync(settings, role: "worker");
        Assert.Contains("Resumed ingestion of", second.Log, StringComparison.Ordinal);
        foreach (var id in ids)
        {
            var status = await client.WaitUntilFinalAsync($"/v1/collections/crash/documents/{id}", timeoutSeconds: 180);
            Assert.Equal("ready", status["state"].Text());
        }

        // Nothing accepted lost, nothing extra.
        Assert.Equal(DocumentCount, await CountAsync(database, "SELECT count(*) FROM documents WHERE collection = 'crash'"));

        // Every document's chunks are exactly those of a clean ingestion of its bytes.
        var chunker = new DocumentChunker(TiktokenTokenizer.CreateForEncoding("cl100k_base"), new ChunkingOptions { MaxTokens = MaxTokens, OverlapTokens = OverlapTokens });
        var expectedTotal = 0;
        foreach (var (document, i) in documents.Select((d, i) => (d, i)))
        {
            var expected = chunker.Chunk(DocumentParser.Parse(document, new DocumentKind(DocumentFormat.Markdown)));
            expectedTotal += expected.Count;
            var stored = await (await client.GetAsync($"/v1/collections/crash/documents/{ids[i]}/chunks")).ExpectAsync(HttpStatusCode.OK);
            var chunks = stored.AsArray();
            Assert.Equal(expected.Count, chunks.Count);
            Assert.Equal(Hash(expected.Select(c => (c.Start, c.End, c.Text))), Hash(chunks.Select(c => (c!["start"]!.GetValue<int>(), c["end"]!.GetValue<int>(), c["text"].Text()))));

            var search = await client.PostJsonAsync("/v1/collections/crash/search", new { query = $"marker{i}x", top_k = 50 });
            Assert.Single(search["results"]!.AsArray());
        }

        Assert.Equal(expectedTotal, await CountAsync(database, "SELECT count(*) FROM chunks WHERE collection = 'crash'"));
        Assert.Equal(expectedTotal, await CountAsync(database, "SELECT count(*) FROM lexical_entries WHERE collection = 'crash'"));
    }

    [Fact]
    public async Task A_worker_killed_in_the_middle_of_a_batch_loses_and_duplicates_nothing()
    {
        const int count = 600;
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var settings = PostgresServiceFixture.PostgresSettings(new Dictionary<string, string>
        {
            ["Rag:Ingestion:Workers"] = "2",
            ["Rag:Models:Embedder:Name"] = "none",
            ["Rag:Models:Scorer:Name"] = "none",
        }, connectionString);
        var lines = Enumerable.Range(0, count).Select(i =>
            $$"""{"text": "Logbook page {{i}}: the keeper noted marker{{i}}x and {{i % 17}} ships at the north pier.", "title": "page {{i}}"}""");

        await using var api = await RagServer.StartAsync(settings, role: "api");
        using var client = api.Client();
        var batch = await (await client.PostAsync("/v1/collections/crash-batch/documents:batch",
            new StringContent(string.Join("\n", lines), Encoding.UTF8, "application/x-ndjson"))).ExpectAsync(HttpStatusCode.Accepted);
        var status = batch["status_url"].Text();

        await using var database = NpgsqlDataSource.Create(connectionString);
        string firstLog;
        await using (var first = await RagServer.StartAsync(settings, role: "worker"))
        {
            // Kill once a group or more is ready and most are not: the kill lands between and inside groups' commits.
            await Eventually.ValueAsync(() => CountAsync(database, "SELECT count(*) FROM documents WHERE state = 'Ready'"), ready => ready >= 32, "a group ready", TimeSpan.FromSeconds(120));
            await first.KillAsync();
            firstLog = first.Log;
        }

        var unfinished = await CountAsync(database, "SELECT count(*) FROM documents WHERE state NOT IN ('Ready', 'Failed')");
        Assert.InRange(unfinished, 1, count - 32);

        await using var second = await RagServer.StartAsync(settings, role: "worker");
        var progress = await Eventually.ValueAsync(async () => await (await client.GetAsync(status)).ExpectAsync(HttpStatusCode.OK),
            p => p["finished"]!.GetValue<bool>(), "the batch to finish after the restart", TimeSpan.FromSeconds(180));
        await using (var failed = database.CreateCommand("SELECT string_agg(DISTINCT coalesce(error, ''), ' | ') FROM documents WHERE collection = 'crash-batch' AND state = 'Failed'"))
        {
            var reasons = await failed.ExecuteScalarAsync();
            Assert.True(progress["ready"]!.GetValue<int>() == count, $"{progress["ready"]} of {count} ready; failed with: {reasons}\n{string.Join('\n', (firstLog + "\n" + second.Log).Split('\n').Where(l => !l.Contains("\"EventId\":1100", StringComparison.Ordinal)))}");
        }

        Assert.Equal((count, count), (progress["documents"]!.GetValue<int>(), progress["ready"]!.GetValue<int>()));

        // Every page exactly once, in the store, the full-text index and search.
        Assert.Equal(count, await CountAsync(database, "SELECT count(*) FROM chunks WHERE collection = 'crash-batch'"));
        Assert.Equal(count, await CountAsync(database, "SELECT count(*) FROM lexical_entries WHERE collection = 'crash-batch'"));
        Assert.Equal(count, await CountAsync(database, "SELECT count(DISTINCT id) FROM documents WHERE collection = 'crash-batch'"));
        foreach (var i in new[] { 0, 1, count / 2, count - 1 }.Concat(Enumerable.Range(0, count).Where(i => i % 41 == 7)))
        {
            var search = await client.PostJsonAsync("/v1/collections/crash-batch/search", new { query = $"marker{i}x", top_k = 10 });
            Assert.Single(search["results"]!.AsArray());
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Hash(IEnumerable<(int Start, int End, string Text)> chunks)
    {
        var text = new StringBuilder();
        foreach (var (start, end, chunk) in chunks)
            text.Append(start).Append(':').Append(end).Append(':').Append(chunk).Append('\0');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
