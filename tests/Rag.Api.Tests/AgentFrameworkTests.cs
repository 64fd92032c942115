using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenAI;
using Rag.Agents;
using Rag.Client;
using Rag.Engine.Documents;
using Rag.Retrieval.Parsing;
using Rag.Tests.Shared;

namespace Rag.Api.Tests;

/// <summary>
/// Rag's context provider and tools on a real Agent Framework <see cref="ChatClientAgent"/>: over a recording chat
/// client (what the model is sent is exactly what Rag returned), over the service's own OpenAI endpoint with the
/// fixture decoder (the real HTTP path), and in process.
/// </summary>
public sealed class AgentFrameworkTests
{
    private const string Question = "When was the lighthouse built?";

    [Fact]
    public async Task The_agent_is_sent_the_compressed_sources_rag_returned_with_their_numbers_and_places()
    {
        await using var server = await InProcessService.StartAsync();
        using var http = server.Client();
        var handbook = (await http.IngestAsync("agents", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown)))["id"].Text();
        await http.IngestAsync("agents", "ferry.html", Documents.Utf8(Documents.FerryHtml));
        var retriever = new HttpRagRetriever(new RagClient(server.Client()), server.BaseAddress);
        var retrieved = new List<RagContext>();
        var options = new RagContextOptions
        {
            Collections = { "agents" }, TopK = 3, BudgetTokens = 40,
            Retrieved = (context, _) =>
            {
                retrieved.Add(context);
                return ValueTask.CompletedTask;
            },
        };
        var model = new RecordingChatClient();
        var agent = new ChatClientAgent(model, new ChatClientAgentOptions { AIContextProviders = [new RagContextProvider(retriever, options)] });

        var session = await agent.CreateSessionAsync();
        var response = await agent.RunAsync(Question, session);

        Assert.Equal("recorded", response.Text);
        var sent = Assert.Single(model.Calls);
        Assert.Equal(Question, Assert.Single(sent).Text); // the user's request as it was; the sources are in the instructions
        var context = Assert.Single(retrieved);
        var instructions = model.Instructions[0]!;
        Assert.Contains(context.Text, instructions, StringComparison.Ordinal);
        Assert.StartsWith(options.Header, context.Text, StringComparison.Ordinal);
        Assert.InRange(context.CompressedTokens, 1, options.BudgetTokens);
        Assert.True(context.OriginTokens > context.CompressedTokens, "the sources were compressed");
        Assert.Equal(handbook, context.Sources[0].DocumentId);
        Assert.Contains("1854", context.Sources[0].Text, StringComparison.Ordinal);
        Assert.Equal("handbook.md", context.Sources[0].Title); // an upload without a title is titled by its file name

        // Exactly what Rag returned: the same search and compression, asked directly, keep the same text.
        var hits = (await retriever.SearchAsync("agents", new RagSearchRequest(Question, 3), CancellationToken.None)).Results;
        var compressed = await retriever.CompressAsync(new RagCompressRequest([.. hits.Select(h => h.Text)], Question: Question, TargetToken: 40, Method: "coarse_to_fine"), CancellationToken.None);
        Assert.Equal(compressed.CompressedTokens, context.CompressedTokens);
        foreach (var kept in compressed.KeptSpans)
            Assert.Contains(hits[kept.Context].Text[kept.Start..kept.End].Trim(), instructions, StringComparison.Ordinal);

        // Each source's spans are places in its document's parsed text, where the cited words are.
        foreach (var source in context.Sources)
        {
            Assert.Contains($"[{source.Number}] ", instructions, StringComparison.Ordinal);
            var chunks = await http.GetFromJsonAsync<JsonArray>($"/v1/collections/agents/documents/{source.DocumentId}/chunks");
            foreach (var span in source.Spans)
            {
                var chunk = chunks!.Select(c => c!.AsObject()).Single(c => c["start"]!.GetValue<int>() <= span.Start && span.End <= c["end"]!.GetValue<int>());
                var piece = chunk["text"].Text()[(span.Start - chunk["start"]!.GetValue<int>())..(span.End - chunk["start"]!.GetValue<int>())];
                Assert.Contains(piece.Trim(), source.Text, StringComparison.Ordinal);
            }

            Assert.Equal($"/v1/collections/agents/documents/{source.DocumentId}/chunks", source.Link.AbsolutePath);
            Assert.Equal($"#char={source.Spans[0].Start},{source.Spans[^1].End}", source.Link.Fragment);
        }

        // The next turn is searched with its own request and carries only its own sources: the history has none.
        await agent.RunAsync("When does the island ferry leave?", session);
        Assert.True(model.Instructions[1]!.Contains("08:15", StringComparison.Ordinal), model.Instructions[1]);
        Assert.DoesNotContain("1854", model.Instructions[1], StringComparison.Ordinal);
        Assert.DoesNotContain(model.Calls[1], m => m.Text.Contains(options.Header, StringComparison.Ordinal));
    }

    [Fact]
    public async Task As_a_message_the_sources_travel_with_their_context_object()
    {
        await using var server = await InProcessService.StartAsync();
        using var http = server.Client();
        await http.IngestAsync("agents", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown));
        var retriever = new HttpRagRetriever(new RagClient(server.Client()), server.BaseAddress);
        var model = new RecordingChatClient();
        var agent = new ChatClientAgent(model, new ChatClientAgentOptions
        {
            AIContextProviders = [new RagContextProvider(retriever, new RagContextOptions { Collections = { "agents" }, Placement = RagContextPlacement.Message })],
        });

        await agent.RunAsync(Question);

        var injected = Assert.Single(model.Calls[0], m => m.AdditionalProperties?.ContainsKey(RagContextProvider.ContextProperty) == true);
        var context = (RagContext)injected.AdditionalProperties![RagContextProvider.ContextProperty]!;
        Assert.Equal(context.Text, injected.Text);
        Assert.Equal(ChatRole.User, injected.Role);
        Assert.Contains("1854", context.Sources[0].Text, StringComparison.Ordinal);
        Assert.Null(model.Instructions[0]);
    }

    [Fact]
    public async Task Over_the_services_own_chat_completions_the_agent_answers_with_the_context_sent()
    {
        const string key = "agent-key-0123456789abcdef";
        await using var server = await InProcessService.StartAsync(new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Name"] = "agent",
            ["Auth:ApiKeys:0:Key"] = key,
            ["Auth:ApiKeys:0:Collections:0"] = "*",
            ["Rag:Models:Decoder:Path"] = Path.Combine(ModelServiceFixture.Models, "tiny-decoder"),
            ["Rag:Generation:MaxTokens"] = "8",
            ["Rag:OpenAI:Compression:Enabled"] = "false",
        }.Concat(OpenAiFixture.PlainChatFormat).ToDictionary());
        using var http = server.Client(key);
        await http.IngestAsync("agents", "handbook.md", Documents.Utf8(Documents.HandbookMarkdown));
        IChatClient chat = new OpenAI.Chat.ChatClient("rag", new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") }).AsIChatClient();
        var retriever = new HttpRagRetriever(new RagClient(server.Client(key)), server.BaseAddress);
        var withRag = new ChatClientAgent(chat, new ChatClientAgentOptions
        {
            AIContextProviders = [new RagContextProvider(retriever, new RagContextOptions { Collections = { "agents" }, TopK = 2, BudgetTokens = 48 })],
        });
        var without = new ChatClientAgent(chat);

        var answered = await withRag.RunAsync(Question);
        var bare = await without.RunAsync(Question);

        Assert.Contains(answered.Messages, m => m.Role == ChatRole.Assistant);
        // The service counted what it was sent: the question and the sources, not the question alone.
        Assert.True(answered.Usage!.InputTokenCount > bare.Usage!.InputTokenCount + 20,
            $"prompt tokens with Rag's context {answered.Usage.InputTokenCount}, without {bare.Usage.InputTokenCount}");
    }

    [Fact]
    public async Task In_process_the_provider_and_the_tools_run_over_the_engine()
    {
        var host = Host.CreateApplicationBuilder();
        host.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Rag:DataPath"] = RagServer.NewDataPath(), ["Rag:Ingestion:Workers"] = "1" });
        host.Services.AddRagAgentsInProcess(host.Configuration);
        using var app = host.Build();
        await app.StartAsync();
        try
        {
            var documents = app.Services.GetRequiredService<DocumentService>();
            var (added, _) = await documents.AddAsync(new DocumentUpload("local", Documents.Utf8(Documents.HandbookMarkdown), new DocumentKind(DocumentFormat.Markdown), "handbook.md", null, []), CancellationToken.None);
            await Eventually.ValueAsync(() => documents.GetAsync("local", added.Id, CancellationToken.None), d => d!.IsFinal, "the handbook to be ingested");
            var retriever = app.Services.GetRequiredService<IRagRetriever>();
            var model = new RecordingChatClient();
            var options = new RagContextOptions { Collections = { "local" }, TopK = 2, BudgetTokens = 40, AddTools = true };
            var agent = new ChatClientAgent(model, new ChatClientAgentOptions { AIContextProviders = [new RagContextProvider(retriever, options)] });

            await agent.RunAsync(Question);

            Assert.Contains("1854", model.Instructions[0], StringComparison.Ordinal);
            var context = await RagContextBuilder.BuildAsync(retriever, options, Question, CancellationToken.None);
            Assert.Equal("rag", context.Sources[0].Link.Scheme);
            Assert.Equal(["ask", "search"], model.Tools[0].Select(t => t.Name).Order(StringComparer.Ordinal));

            var search = (AIFunction)model.Tools[0].Single(t => t.Name == "search");
            var found = await search.InvokeAsync(new AIFunctionArguments { ["query"] = "lighthouse", ["topK"] = 1 });
            Assert.Contains("1854", found!.ToString(), StringComparison.Ordinal);
            var ask = (AIFunction)model.Tools[0].Single(t => t.Name == "ask");
            Assert.Contains("1854", (await ask.InvokeAsync(new AIFunctionArguments { ["question"] = Question }))!.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task The_sample_agent_runs_in_process_and_is_handed_the_cited_source()
    {
        var (exitCode, output, errors) = await SampleApp.RunAsync("AgentSample");

        Assert.True(exitCode == 0, output + errors);
        Assert.Contains("ingest   -> Ready", output, StringComparison.Ordinal);
        Assert.Contains("compressed to", output, StringComparison.Ordinal);
        Assert.Contains("[1] \"harbour.md\"", output, StringComparison.Ordinal);
        Assert.Contains("The lighthouse was built in 1854", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_without_a_collection_are_refused_by_name()
    {
        var retriever = new HttpRagRetriever(new RagClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") }), new Uri("http://127.0.0.1:9/"));

        var error = Assert.Throws<ArgumentException>(() => new RagContextProvider(retriever, new RagContextOptions()));

        Assert.Contains("RagContextOptions.Collections must name at least one collection", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A model that answers "recorded" and keeps every request's messages and tools.</summary>
    private sealed class RecordingChatClient : IChatClient
    {
        public List<List<ChatMessage>> Calls { get; } = [];

        public List<IList<AITool>> Tools { get; } = [];

        public List<string?> Instructions { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls.Add([.. messages]);
            Tools.Add(options?.Tools ?? []);
            Instructions.Add(options?.Instructions);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "recorded")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The agent is run without streaming.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
