using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Data;
using Rag.SemanticKernel;
using Rag.Hosting;

namespace Rag.Api.Tests;

/// <summary>The plugin invoked through a real <see cref="Kernel"/> (function invocation, not method calls), in process and over HTTP.</summary>
public sealed class SemanticKernelPluginTests
{
    [Fact]
    public async Task Over_http_the_kernel_ingests_searches_asks_and_compresses_through_a_running_service()
    {
        await using var server = await InProcessService.StartAsync();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddRagHttpBackend(server.BaseAddress, options: new RagPluginOptions { DefaultCollection = "sk-http" });
        builder.Plugins.AddRag();
        var kernel = builder.Build();

        await ExerciseAsync(kernel);
    }

    [Fact]
    public async Task In_process_the_kernel_runs_the_same_functions_over_the_engine()
    {
        var settings = new Dictionary<string, string?> { ["Rag:DataPath"] = RagServer.NewDataPath(), ["Rag:Ingestion:Workers"] = "1" };
        var host = Host.CreateApplicationBuilder();
        host.Configuration.AddInMemoryCollection(settings);
        host.Services.AddRagInProcessBackend(host.Configuration, new RagPluginOptions { DefaultCollection = "sk-local" });
        host.Services.AddKernel().Plugins.AddRag();
        using var app = host.Build();
        await app.StartAsync();
        try
        {
            await ExerciseAsync(app.Services.GetRequiredService<Kernel>());
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
#pragma warning disable CS0618 // ITextSearch and TextSearchOptions: what SK's text-search plugin takes (RagTextSearch's remarks)
    public async Task Rag_is_semantic_kernels_text_search_named_by_title_linked_to_the_span()
    {
        await using var server = await InProcessService.StartAsync();
        using var http = server.Client();
        var handbook = (await http.IngestAsync("sk-search", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown), tags: "harbour"))["id"].Text();
        await http.IngestAsync("sk-search", "ferry.html", Documents.Utf8(Documents.FerryHtml));
        var builder = Kernel.CreateBuilder();
        builder.Services.AddRagHttpBackend(server.BaseAddress);
        builder.Services.AddRagTextSearch(new RagTextSearchOptions { Collection = "sk-search" });
        var kernel = builder.Build();
        var search = kernel.GetRequiredService<Microsoft.SemanticKernel.Data.ITextSearch>();
        kernel.Plugins.Add(search.CreateWithGetTextSearchResults("rag_search"));

        // Through the kernel: the text-search plugin's function, invoked as a model would.
        var invoked = await kernel.InvokeAsync("rag_search", "GetTextSearchResults", new KernelArguments { ["query"] = "When was the lighthouse built?", ["count"] = 2 });
        var results = ((IEnumerable<Microsoft.SemanticKernel.Data.TextSearchResult>)invoked.GetValue<object>()!).ToList();

        Assert.InRange(results.Count, 1, 2);
        var first = results[0];
        Assert.Equal("handbook.md", first.Name);
        Assert.Contains("1854", first.Value, StringComparison.Ordinal);
        var link = new Uri(first.Link!);
        Assert.Equal($"/v1/collections/sk-search/documents/{handbook}/chunks", link.AbsolutePath);
        var span = link.Fragment["#char=".Length..].Split(',').Select(int.Parse).ToArray();
        var chunks = await http.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>(link.AbsolutePath);
        Assert.Contains(chunks!, c => c!["start"]!.GetValue<int>() == span[0] && c["end"]!.GetValue<int>() == span[1] && c["text"]!.GetValue<string>() == first.Value);

        // Filters: a tag only the ferry lacks; an unknown field is refused by name.
        var tagged = await search.GetTextSearchResultsAsync("ferry", new Microsoft.SemanticKernel.Data.TextSearchOptions { Top = 5, Filter = new Microsoft.SemanticKernel.Data.TextSearchFilter().Equality("tag", "harbour") });
        await foreach (var result in tagged.Results)
            Assert.Equal("handbook.md", result.Name);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => search.SearchAsync("x", new Microsoft.SemanticKernel.Data.TextSearchOptions { Filter = new Microsoft.SemanticKernel.Data.TextSearchFilter().Equality("author", "me") }));
        Assert.Contains("'author' is not one of them", refused.Message, StringComparison.Ordinal);

        // Compressed values: the chunk compressed for the query, shorter than the chunk.
        var compressed = new RagTextSearch(kernel.GetRequiredService<IRagBackend>(), new RagTextSearchOptions { Collection = "sk-search", CompressionRate = 0.3 });
        var shorter = await compressed.SearchAsync("When was the lighthouse built?", new Microsoft.SemanticKernel.Data.TextSearchOptions { Top = 1 });
        await foreach (var value in shorter.Results)
            Assert.True(value.Length < first.Value.Length, value);
    }
#pragma warning restore CS0618

    [Fact]
    public void Functions_are_described_for_automatic_function_calling()
    {
        var kernel = new Kernel();
        var plugin = kernel.Plugins.AddRag(new HttpRagBackend(new Rag.Client.RagClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") })));

        Assert.Equal(["ask", "compress", "ingest", "ingest_many", "search"], plugin.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var function in plugin)
        {
            Assert.False(string.IsNullOrWhiteSpace(function.Description), function.Name);
            Assert.All(function.Metadata.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{function.Name}.{p.Name}"));
            Assert.All(function.Metadata.Parameters, p => Assert.NotNull(p.ParameterType));
        }

        var ask = plugin["ask"].Metadata.Parameters;
        Assert.True(ask.Single(p => p.Name == "question").IsRequired);
        Assert.Equal(typeof(int), ask.Single(p => p.Name == "topK").ParameterType);
    }

    [Fact]
    public async Task The_sample_app_runs_in_process_and_answers_from_its_document()
    {
        var (exitCode, output, errors) = await SampleApp.RunAsync("KernelSample");

        Assert.True(exitCode == 0, output + errors);
        Assert.Contains("functions: ask, search, compress, ingest", output, StringComparison.Ordinal);
        Assert.Contains("\"State\":\"ready\"", output, StringComparison.Ordinal);
        Assert.Contains("The lighthouse was built in 1854", output, StringComparison.Ordinal);
    }

    private static async Task ExerciseAsync(Kernel kernel)
    {
        var ingested = (await kernel.InvokeAsync(RagKernelExtensions.PluginName, "ingest", new KernelArguments
        {
            ["text"] = Documents.HandbookMarkdown,
            ["title"] = "Harbour handbook",
        })).GetValue<RagIngestResult>()!;
        Assert.Equal("ready", ingested.State);
        Assert.True(ingested.ChunkCount > 0);

        var many = (await kernel.InvokeAsync(RagKernelExtensions.PluginName, "ingest_many", new KernelArguments
        {
            ["texts"] = new[] { "The ferry to the island leaves at seven.", "Gulls nest on the breakwater in spring.", "The ferry to the island leaves at seven." },
            ["tags"] = new[] { "notes" },
        })).GetValue<IReadOnlyList<RagIngestResult>>()!;
        Assert.Equal(["ready", "ready", "ready"], many.Select(m => m.State));
        Assert.Equal(many[0].DocumentId, many[2].DocumentId);
        Assert.Equal([false, false, true], many.Select(m => m.Duplicate));
        var empty = await Assert.ThrowsAnyAsync<Exception>(() => kernel.InvokeAsync(RagKernelExtensions.PluginName, "ingest_many", new KernelArguments { ["texts"] = new[] { "fine", " " } }));
        Assert.Contains("texts[1]", empty.Message, StringComparison.Ordinal);

        var found = (await kernel.InvokeAsync(RagKernelExtensions.PluginName, "search", new KernelArguments { ["query"] = "when was the lighthouse built", ["topK"] = 3 }))
            .GetValue<IReadOnlyList<RagSearchResult>>()!;
        Assert.Contains("1854", found[0].Text, StringComparison.Ordinal);
        Assert.Equal(ingested.DocumentId, found[0].DocumentId);

        var answer = (await kernel.InvokeAsync(RagKernelExtensions.PluginName, "ask", new KernelArguments { ["question"] = "When was the lighthouse built?" }))
            .GetValue<RagAskResult>()!;
        Assert.Equal("extractive", answer.Mode);
        Assert.Contains("1854", answer.Answer, StringComparison.Ordinal);
        Assert.Contains(answer.Sources, s => s.DocumentId == ingested.DocumentId && s.Quote.Contains("1854", StringComparison.Ordinal));

        var compressed = (await kernel.InvokeAsync(RagKernelExtensions.PluginName, "compress", new KernelArguments
        {
            ["text"] = string.Concat(Enumerable.Repeat(Documents.HandbookMarkdown, 4)),
            ["rate"] = 0.25,
        })).GetValue<RagCompressResult>()!;
        Assert.True(compressed.CompressedTokens < compressed.OriginTokens / 2, $"{compressed.CompressedTokens} of {compressed.OriginTokens}");

        // A bad argument surfaces as an error of the invocation, naming the parameter.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => kernel.InvokeAsync(RagKernelExtensions.PluginName, "ask", new KernelArguments
        {
            ["question"] = "Anything?",
            ["collection"] = "Not A Collection!",
        }));
        Assert.Contains("collection", error.Message, StringComparison.Ordinal);
    }
}
