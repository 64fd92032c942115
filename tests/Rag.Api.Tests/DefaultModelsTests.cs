using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Rag.Api.Tests;

/// <summary>The service as a new user starts it: no model configured, no flags.</summary>
[Trait("Tier", "Process")]
public sealed class DefaultModelsTests
{
    private const string Harbour =
        "# Harbour notes\n\n"
        + "The beacon on the headland was erected in 1887 by the port authority to guide ships past the reef. "
        + "Fishing boats unload their catch at the quay every morning before the market opens.\n\n"
        + "## Council\n\nThe town council meets on the first Tuesday of each month in the old customs house. "
        + "Ferries to the islands leave from the northern pier twice a day during the summer season.\n";

    [Fact]
    public async Task The_default_start_serves_dense_and_hybrid_search_with_a_real_encoder_and_compresses_with_the_scorer()
    {
        // "" = the default models folder: models/ under the data folder.
        await using var server = await RagServer.StartAsync(new Dictionary<string, string> { ["Rag:Models:BuiltInPath"] = "" });
        using var client = server.Client();

        var health = JsonNode.Parse(await client.GetStringAsync("/healthz"))!;
        Assert.StartsWith("arctic-embed-xs@", health["models"]!["encoder"].Text(), StringComparison.Ordinal);
        Assert.StartsWith("tiny-decoder@", health["models"]!["scorer"].Text(), StringComparison.Ordinal);
        Assert.Equal("none", health["models"]!["generator"].Text());
        Assert.True(File.Exists(Path.Combine(server.DataPath, "models", "arctic-embed-xs", "model.onnx")));
        Assert.Contains("encoder arctic-embed-xs@", server.Log, StringComparison.Ordinal);

        var ready = await client.IngestAsync("notes", "harbour.md", Documents.Utf8(Harbour));
        Assert.Equal("ready", ready["state"].Text());

        // The question shares no content word with its answer: only the encoder can connect them.
        var search = await client.PostJsonAsync("/v1/collections/notes/search", new { query = "When was the lighthouse built?", top_k = 2 });
        var dense = await client.PostJsonAsync("/v1/collections/notes/search", new { query = "When was the lighthouse built?", top_k = 2, mode = "dense" });
        Assert.Equal("hybrid", search["mode"].Text());
        Assert.Contains("1887", search["results"]![0]!["text"].Text(), StringComparison.Ordinal);
        Assert.Contains("1887", dense["results"]![0]!["text"].Text(), StringComparison.Ordinal);

        // The extractive answer picks the sentence by meaning, not by shared words.
        var answer = await client.PostJsonAsync("/v1/collections/notes/ask", new { question = "When was the lighthouse built?", budget_tokens = 30 });
        Assert.Equal("extractive", answer["mode"].Text());
        Assert.Contains("1887", answer["citations"]![0]!["quote"].Text(), StringComparison.Ordinal);

        // auto with a question is coarse-to-fine: sentences ranked by BM25 fused with the encoder, so the
        // paraphrased evidence survives 3x.
        var filler = string.Join(' ', Enumerable.Repeat("The ferry timetable changes with the seasons and the estuary tides.", 12));
        var coarse = await client.PostJsonAsync("/v1/compress", new { context = new[] { filler, Harbour, filler }, question = "When was the lighthouse built?", rate = 0.33 });
        Assert.Equal("coarse_to_fine", coarse["method"].Text());
        Assert.Contains("erected in 1887", coarse["compressed_prompt"].Text(), StringComparison.Ordinal);
        Assert.True(coarse["budget_met"]!.GetValue<bool>());

        // The scorer makes the model-based methods available on the default start.
        var compressed = await client.PostJsonAsync("/v1/compress", new { context = new[] { Harbour }, question = "When was the beacon erected?", rate = 0.5, method = "segment" });
        Assert.Equal("segment", compressed["method"].Text());
        Assert.True(compressed["compressed_tokens"]!.GetValue<int>() < compressed["origin_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Two_processes_starting_at_once_write_one_good_models_folder()
    {
        var models = Path.Combine(Path.GetTempPath(), "rag-tests", "models-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string> { ["Rag:Models:BuiltInPath"] = models, ["Rag:Models:Scorer:Name"] = "none" };
        try
        {
            var first = RagServer.StartAsync(settings);
            var second = RagServer.StartAsync(settings);
            await using var a = await first;
            await using var b = await second;

            var folder = Path.Combine(models, "arctic-embed-xs");
            Assert.Equal(["config.json", "model.onnx", "vocab.txt"], Directory.EnumerateFiles(folder).Select(Path.GetFileName).Where(f => !f!.StartsWith('.')).Order());
            Assert.Empty(Directory.EnumerateFiles(folder, "*.tmp"));
            Assert.Equal(90_387_631, new FileInfo(Path.Combine(folder, "model.onnx")).Length);
            foreach (var server in new[] { a, b })
            {
                var health = JsonNode.Parse(await server.Client().GetStringAsync("/healthz"))!;
                Assert.StartsWith("arctic-embed-xs@", health["models"]!["encoder"].Text(), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [Theory]
    [InlineData("Rag:Models:Embedder:Name", "bert-large", "Rag:Models:Embedder:Name must be one of arctic-embed-xs, all-minilm-l6-v2, none")]
    [InlineData("Rag:Models:Scorer:Name", "gpt", "Rag:Models:Scorer:Name must be tiny-decoder or none")]
    [InlineData("Rag:Search:DenseWeight", "1.5", "Rag:Search:DenseWeight must be between 0 and 1")]
    [InlineData("Rag:Search:UnitShare", "-0.2", "Rag:Search:UnitShare must be between 0 and 1")]
    [InlineData("Rag:Ingestion:ChunkVectors", "Sometimes", "Rag:Ingestion:ChunkVectors")]
    public async Task A_wrong_model_or_search_setting_stops_the_start_naming_the_key(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RagServer.StartAsync(new Dictionary<string, string> { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>With the encoder and scorer turned off, the service still works in the reduced mode it states.</summary>
    [Fact]
    public async Task Without_encoder_and_scorer_search_is_lexical_and_compression_truncates_saying_so()
    {
        await using var server = await RagServer.StartAsync(new Dictionary<string, string>
        {
            ["Rag:Models:Embedder:Name"] = "none",
            ["Rag:Models:Scorer:Name"] = "none",
        });
        using var client = server.Client();
        await client.IngestAsync("notes", "harbour.md", Documents.Utf8(Harbour));

        var health = JsonNode.Parse(await client.GetStringAsync("/healthz"))!;
        Assert.Equal("none", health["models"]!["encoder"].Text());
        Assert.Equal("none", health["models"]!["scorer"].Text());
        var search = await client.PostJsonAsync("/v1/collections/notes/search", new { query = "beacon", top_k = 1 });
        Assert.Equal("lexical", search["mode"].Text());
        foreach (var (url, body) in new[]
        {
            ("/v1/collections/notes/search", """{"query": "x", "mode": "dense"}"""),
            ("/v1/collections/notes/search", """{"query": "x", "mode": "hybrid"}"""),
            ("/v1/collections/notes/ask", """{"question": "why?", "mode": "dense"}"""),
        })
        {
            var problem = await (await client.PostAsync(url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey("mode"), problem.ToJsonString());
        }

        // auto with a question ranks sentences by BM25 (no model needed); without one it would need the
        // scorer, so it truncates and says why; a model-based method by name is refused naming it.
        var context = string.Join(' ', Enumerable.Repeat("The tide at the north pier turns forty minutes after the river mouth.", 40));
        var ranked = await client.PostJsonAsync("/v1/compress", new { context, question = "When does the tide turn?", rate = 0.3 });
        Assert.Equal("coarse_to_fine", ranked["method"].Text());
        var result = await client.PostJsonAsync("/v1/compress", new { context = new[] { context, "<keep>Keep this sentence.</keep> " + context }, instruction = "Summarise.", target_token = 300 });
        Assert.Equal("truncate", result["method"].Text());
        Assert.InRange(result["compressed_tokens"]!.GetValue<int>(), 285, 315);
        Assert.Contains("Keep this sentence.", result["compressed_prompt"].Text(), StringComparison.Ordinal);
        Assert.StartsWith("Summarise.", result["compressed_prompt"].Text(), StringComparison.Ordinal);
        Assert.Contains("none is configured", result["note"].Text(), StringComparison.Ordinal);
        var segment = await client.PostJsonAsync("/v1/compress", new { context = "text", method = "segment" }, HttpStatusCode.BadRequest);
        Assert.True(segment["errors"]!.AsObject().ContainsKey("method"), segment.ToJsonString());
        var ask = await client.PostJsonAsync("/v1/collections/notes/ask",
            new { question = "When?", compression = new { method = "gemfilter", rate = 2.0 } }, HttpStatusCode.BadRequest);
        Assert.True(ask["errors"]!.AsObject().ContainsKey("compression.method"), ask.ToJsonString());
        Assert.True(ask["errors"]!.AsObject().ContainsKey("compression.rate"), ask.ToJsonString());
    }
}
