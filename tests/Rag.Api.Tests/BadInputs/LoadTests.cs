using System.Net;
using System.Text;

namespace Rag.Api.Tests.BadInputs;

/// <summary>Ingestion under load: small documents are not starved by large ones, and a stop under load loses nothing.</summary>
[Trait("Tier", "Process")]
public sealed class LoadTests
{
    private static Dictionary<string, string> Settings(string workers) => new()
    {
        ["Rag:Models:Embedder:Path"] = Path.Combine(ModelServiceFixture.Models, "tiny-embedder"),
        ["Rag:Ingestion:Workers"] = workers,
        ["Rag:Ingestion:SmallDocumentBytes"] = "16384",
        ["Rag:Chunking:MaxTokens"] = "128",
        ["Rag:Chunking:OverlapTokens"] = "16",
    };

    [Fact]
    public async Task Small_documents_are_ready_while_large_ones_still_wait()
    {
        await using var server = await RagServer.StartAsync(Settings(workers: "1"));
        using var client = server.Client();
        var large = new List<string>();
        for (var i = 0; i < 3; i++)
            large.Add((await (await client.UploadFileAsync("load", $"large-{i}.md", Documents.Utf8(Large(i)))).ExpectAsync(HttpStatusCode.Accepted))["status_url"].Text());
        var small = new List<string>();
        for (var i = 0; i < 5; i++)
            small.Add((await (await client.UploadFileAsync("load", $"small-{i}.md", Documents.Utf8($"# Note {i}\n\nThe pier {i} lamp is lit at dusk.\n"))).ExpectAsync(HttpStatusCode.Accepted))["status_url"].Text());

        foreach (var url in small)
            Assert.Equal("ready", (await client.WaitUntilFinalAsync(url, 120))["state"].Text());
        // One worker serves both lanes' large documents one after another: the last is still waiting.
        var last = await (await client.GetAsync(large[^1])).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("ready", last["state"].Text());
        foreach (var url in large)
            Assert.Equal("ready", (await client.WaitUntilFinalAsync(url, 300))["state"].Text());
    }

    [Fact]
    public async Task A_stop_under_load_exits_0_and_the_restart_finishes_every_accepted_document()
    {
        var server = await RagServer.StartAsync(Settings(workers: "2"));
        var accepted = new List<string>();
        using (var client = server.Client())
        {
            for (var i = 0; i < 3; i++)
                accepted.Add((await (await client.UploadFileAsync("stop", $"large-{i}.md", Documents.Utf8(Large(i)))).ExpectAsync(HttpStatusCode.Accepted))["status_url"].Text());
            for (var i = 0; i < 8; i++)
                accepted.Add((await (await client.UploadFileAsync("stop", $"small-{i}.md", Documents.Utf8($"# Note {i}\n\nThe pier {i} lamp is lit at dusk.\n"))).ExpectAsync(HttpStatusCode.Accepted))["status_url"].Text());
        }

        var exit = await server.TerminateAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"exit code {exit}:\n{server.Log}");
        Assert.DoesNotContain("Unhandled exception", server.Log, StringComparison.Ordinal);
        await server.DisposeAsync();

        await using var restarted = await RagServer.StartAsync(Settings(workers: "2"), server.DataPath);
        using var again = restarted.Client();
        foreach (var url in accepted)
        {
            var final = await again.WaitUntilFinalAsync(url, 300);
            Assert.True(final["state"].Text() == "ready" || !string.IsNullOrEmpty(final["error"]?.GetValue<string>()), final.ToJsonString());
        }
    }

    [Fact]
    public async Task A_small_upload_is_ready_before_the_small_lane_documents_and_the_pathological_one_queued_ahead_of_it()
    {
        var settings = Settings(workers: "1");
        settings.Remove("Rag:Ingestion:SmallDocumentBytes"); // the default 1 MiB: every document here is "small"
        await using var server = await RagServer.StartAsync(settings);
        using var client = server.Client();
        // Four documents of about 100 KB, one of them 100,000 nested brackets (a token each), fill the small lane:
        // its two workers take two, two wait.
        var ahead = new List<string>
        {
            (await (await client.UploadFileAsync("lanes", "brackets.md", Documents.Utf8("# Brackets\n\n" + new string('[', 100_000)))).ExpectAsync(HttpStatusCode.Accepted))["status_url"].Text(),
        };
        for (var i = 0; i < 3; i++)
            ahead.Add((await (await client.UploadFileAsync("lanes", $"ledger-{i}.md", Documents.Utf8(Large(i)))).ExpectAsync(HttpStatusCode.Accepted))["status_url"].Text());
        var note = (await (await client.UploadFileAsync("lanes", "note.md", Documents.Utf8("# Note\n\nThe pier lamp is lit at dusk.\n"))).ExpectAsync(HttpStatusCode.Accepted))["status_url"].Text();

        Assert.Equal("ready", (await client.WaitUntilFinalAsync(note, 120))["state"].Text());
        // The note did not wait for the lane: the last document queued ahead of it has not even started.
        var last = await (await client.GetAsync(ahead[^1])).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("queued", last["state"].Text());
        foreach (var url in ahead)
            Assert.Equal("ready", (await client.WaitUntilFinalAsync(url, 300))["state"].Text());
    }

    [Fact]
    public async Task A_document_past_the_time_limit_fails_once_with_the_setting_named()
    {
        var settings = Settings(workers: "1");
        settings["Rag:Ingestion:MaxDocumentTime"] = "00:00:01";
        await using var server = await RagServer.StartAsync(settings);
        using var client = server.Client();

        // About 1.2 MB of Markdown: many seconds of parsing, chunking and embedding.
        var slow = await client.IngestAsync("limits", "large.md", Documents.Utf8(string.Concat(Enumerable.Range(0, 10).Select(Large))));

        Assert.Equal("failed", slow["state"].Text());
        Assert.Contains("Rag:Ingestion:MaxDocumentTime", slow["error"].Text(), StringComparison.Ordinal);
        Assert.Single(server.Log.Split('\n'), l => l.Contains("took longer than", StringComparison.Ordinal)); // once: no retries
    }

    /// <summary>About 120 KB of Markdown: many chunks to embed.</summary>
    private static string Large(int seed)
    {
        var text = new StringBuilder();
        for (var section = 0; section < 60; section++)
        {
            text.Append("## Section ").Append(seed).Append('.').Append(section).Append("\n\n");
            for (var line = 0; line < 20; line++)
                text.Append("The harbour ledger ").Append(seed).Append(" records crate ").Append(section * 20 + line).Append(" bound for pier ").Append(line % 7).Append(". ");
            text.Append("\n\n");
        }

        return text.ToString();
    }
}
