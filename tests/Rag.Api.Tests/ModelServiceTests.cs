using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Rag.Api.Tests;

/// <summary>The service with the fixture decoder and embedder configured, as an operator would run it.</summary>
public sealed class ModelServiceFixture : IAsyncLifetime
{
    public static readonly string Models = Path.Combine(Rag.Tests.Shared.TestFiles.RepositoryRoot(), "models");

    public IServiceUnderTest Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessService.StartAsync(new Dictionary<string, string>
        {
            ["Rag:Models:Decoder:Path"] = Path.Combine(Models, "tiny-decoder"),
            ["Rag:Models:Embedder:Path"] = Path.Combine(Models, "tiny-embedder"),
            ["Rag:Generation:MaxTokens"] = "24",
            // The fixture decoder was trained to copy after "... is": a prompt in that form gets it talking.
            ["Rag:Generation:PromptTemplate"] = "{sources}\n\nQuestion: {question}\nThe answer is",
            ["Rag:Chunking:MaxTokens"] = "128",
            ["Rag:Chunking:OverlapTokens"] = "16",
        });
        using var client = Server.Client();
        var ready = await client.IngestAsync("harbour", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown));
        Assert.Equal("ready", ready["state"].Text());
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class ModelServiceTests(ModelServiceFixture service) : IClassFixture<ModelServiceFixture>
{
    [Fact]
    public async Task Search_is_hybrid_by_default_and_every_mode_runs()
    {
        using var client = service.Server.Client();

        var hybrid = await client.PostJsonAsync("/v1/collections/harbour/search", new { query = "when was the lighthouse built", top_k = 3 });
        var dense = await client.PostJsonAsync("/v1/collections/harbour/search", new { query = "when was the lighthouse built", top_k = 3, mode = "dense" });
        var lexical = await client.PostJsonAsync("/v1/collections/harbour/search", new { query = "when was the lighthouse built", top_k = 3, mode = "lexical" });

        Assert.Equal("hybrid", hybrid["mode"].Text());
        Assert.Equal("dense", dense["mode"].Text());
        Assert.Equal("lexical", lexical["mode"].Text());
        Assert.Contains("1854", lexical["results"]![0]!["text"].Text(), StringComparison.Ordinal);
        Assert.Contains(hybrid["results"]!.AsArray(), r => r!["text"].Text().Contains("1854", StringComparison.Ordinal));
        // The handbook is one chunk: every mode finds it, dense by similarity alone.
        Assert.Equal(lexical["results"]![0]!["chunk_id"].Text(), dense["results"]![0]!["chunk_id"].Text());
    }

    [Fact]
    public async Task Ask_generates_from_numbered_sources_and_reports_the_decoder_figures()
    {
        using var client = service.Server.Client();

        var answer = await client.PostJsonAsync("/v1/collections/harbour/ask", new { question = "When was the lighthouse built?", max_tokens = 12, stop = new[] { "\n\n" } });

        Assert.Equal("generative", answer["mode"].Text());
        Assert.NotEmpty(answer["citations"]!.AsArray());
        Assert.Equal(1, answer["citations"]![0]!["number"]!.GetValue<int>());
        var generation = answer["figures"]!["generation"]!;
        Assert.StartsWith("tiny-decoder@", generation["model"].Text(), StringComparison.Ordinal);
        Assert.InRange(generation["generated_tokens"]!.GetValue<int>(), 1, 12);
        Assert.True(generation["prompt_tokens"]!.GetValue<int>() > 20);
        Assert.Contains(generation["finish_reason"].Text(), new[] { "stop", "length" });
        var timings = answer["figures"]!["timings_ms"]!;
        Assert.True(timings["prefill"]!.GetValue<double>() > 0);
        Assert.True(timings["total"]!.GetValue<double>() >= timings["prefill"]!.GetValue<double>() + timings["retrieve"]!.GetValue<double>());
        Assert.Equal("hybrid", answer["figures"]!["search_mode"].Text());
    }

    [Fact]
    public async Task Ask_streams_tokens_over_server_sent_events_then_the_whole_result()
    {
        using var client = service.Server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/collections/harbour/ask")
        {
            Content = JsonContent(new { question = "When was the lighthouse built?", stream = true, max_tokens = 16 }),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(response);

        var tokens = events.Where(e => e.Event == "token").Select(e => JsonNode.Parse(e.Data)!["text"].Text()).ToList();
        var done = Assert.Single(events, e => e.Event == "done");
        Assert.Equal("done", events[^1].Event);
        Assert.True(tokens.Count > 0, string.Join("\n", events));
        var result = JsonNode.Parse(done.Data)!;
        Assert.Equal("generative", result["mode"].Text());
        Assert.Equal(string.Concat(tokens).TrimEnd(), result["answer"].Text());
        Assert.NotEmpty(result["citations"]!.AsArray());
    }

    [Fact]
    public async Task Bad_generation_settings_are_named()
    {
        using var client = service.Server.Client();

        var problem = await client.PostJsonAsync("/v1/collections/harbour/ask",
            new { question = "q", temperature = 3, top_p = 0, max_tokens = 0, stop = new[] { "" } }, HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        Assert.Equal(["max_tokens", "stop", "temperature", "top_p"], errors);
    }

    [Fact]
    public async Task Ask_with_compression_generates_from_the_compressed_chunks_and_reports_both()
    {
        using var client = service.Server.Client();

        var answer = await client.PostJsonAsync("/v1/collections/harbour/ask",
            new { question = "When was the lighthouse built?", max_tokens = 8, compression = new { method = "segment", rate = 0.5 } });

        Assert.Equal("generative", answer["mode"].Text());
        var compression = answer["figures"]!["compression"]!;
        Assert.Equal("segment", compression["method"].Text());
        Assert.True(compression["compressed_tokens"]!.GetValue<int>() < compression["origin_tokens"]!.GetValue<int>());
        var timings = answer["figures"]!["timings_ms"]!;
        Assert.True(timings["compress"]!.GetValue<double>() > 0);
        Assert.True(timings["total"]!.GetValue<double>() >= timings["compress"]!.GetValue<double>());
        var citation = answer["citations"]![0]!;
        var content = await client.GetStringAsync($"/v1/collections/harbour/documents/{citation["document_id"].Text()}/content");
        var (start, end) = (citation["start"]!.GetValue<int>(), citation["end"]!.GetValue<int>());
        Assert.True(end > start && end <= content.Length);
        Assert.StartsWith(citation["quote"].Text().Split(' ')[0], content[start..end], StringComparison.Ordinal);
        Assert.NotNull(answer["compressed_prompt"]);
    }

    [Fact]
    public async Task Compress_with_the_decoder_reuses_cached_segments_on_a_repeat()
    {
        using var client = service.Server.Client();
        var context = string.Join("\n\n", Enumerable.Range(0, 20).Select(i => $"Berth {i} takes ships up to {100 + (i * 7)} metres; the harbour master assigns it by radio on channel {i % 16}."));

        var first = await client.PostJsonAsync("/v1/compress", new { context, rate = 0.4, method = "segment" });
        // Another rate over the same text: the words' information comes from the cache.
        var second = await client.PostJsonAsync("/v1/compress", new { context, rate = 0.2, method = "segment" });

        Assert.Equal("segment", first["method"].Text());
        Assert.True(first["cache_misses"]!.GetValue<int>() > 0);
        Assert.Equal(0, second["cache_misses"]!.GetValue<int>());
        Assert.Equal(first["cache_misses"]!.GetValue<int>(), second["cache_hits"]!.GetValue<int>());
        Assert.True(first["budget_met"]!.GetValue<bool>());
    }

    internal static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    internal static async Task<List<(string Event, string Data)>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<(string, string)>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null || data.Length > 0)
                    events.Add((name ?? "message", data.ToString()));
                (name, data) = (null, new StringBuilder());
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
                name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data.Append(data.Length > 0 ? "\n" : "").Append(line["data: ".Length..]);
        }

        return events;
    }
}

/// <summary>Model folders are checked at start: a broken one stops the service with a message that names it.</summary>
[Trait("Tier", "Process")]
public sealed class ModelStartupTests
{
    [Fact]
    public async Task A_decoder_folder_with_a_missing_file_stops_the_service_at_start()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rag-broken-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(ModelServiceFixture.Models, "tiny-decoder", "config.json"), Path.Combine(folder, "config.json"));
        File.Copy(Path.Combine(ModelServiceFixture.Models, "tiny-decoder", "tokenizer.model"), Path.Combine(folder, "tokenizer.model"));
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                RagServer.StartAsync(new Dictionary<string, string> { ["Rag:Models:Decoder:Path"] = folder }));

            Assert.Contains("The service exited at start", error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(folder, "model.onnx") + " is missing", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
