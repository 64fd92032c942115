// A Microsoft Agent Framework agent that answers from documents through Rag's context provider.
//
//   dotnet run --project samples/AgentSample                                      # Rag in this process
//   dotnet run --project samples/AgentSample -- --service http://127.0.0.1:8080 [--key KEY]
//   ... -- --model-endpoint https://api.openai.com/v1 --model gpt-4o-mini --model-key $OPENAI_API_KEY
//
// It adds a Markdown file to a collection, then asks the agent a question. Before the model is called, Rag
// searches the collection with the question, compresses what it found to 60 tokens and hands the agent the
// numbered sources. Without --model-endpoint the "model" only prints what it was sent, so the sample runs
// offline; with one, any OpenAI-compatible endpoint answers (Rag's own /v1 with a decoder included).
using System.ClientModel;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenAI;
using Rag.Agents;
using Rag.Client;

var service = Option("--service");
var file = Option("--file") ?? Path.Combine(AppContext.BaseDirectory, "harbour.md");
const string collection = "sample";

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
if (service is null)
{
    // In process: the whole pipeline in this app, data under ./rag-data.
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Rag:DataPath"] = Path.GetFullPath("rag-data") });
    builder.Services.AddRagAgentsInProcess(builder.Configuration);
}
else
{
    builder.Services.AddRagAgents(new Uri(service), Option("--key"));
}

using var host = builder.Build();
await host.StartAsync();
var rag = host.Services.GetRequiredService<IRagRetriever>();
await IngestAsync(host.Services, file);

IChatClient model = Option("--model-endpoint") is { } endpoint
    ? new OpenAI.Chat.ChatClient(Option("--model") ?? "gpt-4o-mini", new ApiKeyCredential(Option("--model-key") ?? "none"), new OpenAIClientOptions { Endpoint = new Uri(endpoint) }).AsIChatClient()
    : new PrintingChatClient();
var context = new RagContextProvider(rag, new RagContextOptions
{
    Collections = { collection },
    BudgetTokens = 60,
    Retrieved = (found, _) =>
    {
        Console.WriteLine($"rag      -> {found.Sources.Count} sources, {found.OriginTokens} tokens compressed to {found.CompressedTokens} ({found.Method})");
        foreach (var source in found.Sources)
            Console.WriteLine($"  [{source.Number}] {source.Title} {source.Link}");
        return ValueTask.CompletedTask;
    },
});
var agent = new ChatClientAgent(model, new ChatClientAgentOptions
{
    Name = "harbour",
    ChatOptions = new ChatOptions { Instructions = "You answer questions about the harbour, citing sources as [n]." },
    AIContextProviders = [context],
});

var answer = await agent.RunAsync("When was the lighthouse built?");
Console.WriteLine($"agent    -> {answer.Text}");
await host.StopAsync();
return;

async Task IngestAsync(IServiceProvider services, string path)
{
    var text = await File.ReadAllTextAsync(path);
    if (service is not null)
    {
        var client = new RagClient(new HttpClient { BaseAddress = new Uri(service) }, Option("--key"));
        var document = await client.IngestTextAsync(collection, new RagTextDocument(text, Path.GetFileName(path)));
        Console.WriteLine($"ingest   -> {(await client.WaitUntilFinalAsync(collection, document.Id)).State}");
        return;
    }

    var documents = services.GetRequiredService<Rag.Engine.Documents.DocumentService>();
    var upload = new Rag.Engine.Documents.DocumentUpload(collection, System.Text.Encoding.UTF8.GetBytes(text),
        new Rag.Retrieval.Parsing.DocumentKind(Rag.Retrieval.Parsing.DocumentFormat.Markdown), Path.GetFileName(path), Path.GetFileName(path), []);
    var (added, _) = await documents.AddAsync(upload, CancellationToken.None);
    var current = added;
    while (!current.IsFinal)
    {
        await Task.Delay(100);
        current = await documents.GetAsync(collection, added.Id, CancellationToken.None) ?? current;
    }

    Console.WriteLine($"ingest   -> {current.State}");
}

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

/// <summary>A stand-in model for running offline: prints the instructions and messages it was sent.</summary>
internal sealed class PrintingChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Console.WriteLine("model was sent:\n--- instructions ---\n" + options?.Instructions + "\n--- messages ---");
        foreach (var message in messages)
            Console.WriteLine($"{message.Role}: {message.Text}");
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "(no model configured: pass --model-endpoint to get an answer)")));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
