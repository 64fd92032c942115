using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Rag.Agents;

/// <summary>
/// Microsoft Agent Framework context provider: before every invocation of an agent it searches the configured
/// collections with the conversation's latest user request, compresses the sources to the token budget, and adds
/// them with numbered citations the model can quote — to the invocation's instructions (default: sent once, never
/// kept in the history) or as a message (<see cref="RagContextPlacement"/>). <see cref="RagContextOptions.Retrieved"/>
/// gets each <see cref="RagContext"/>, so an application can show the sources.
/// </summary>
/// <example>
/// <code>
/// var rag = new RagContextProvider(new HttpRagRetriever(client, baseAddress), new RagContextOptions { Collections = { "manuals" } });
/// var agent = new ChatClientAgent(chatClient, new ChatClientAgentOptions { AIContextProviders = [rag] });
/// </code>
/// </example>
public sealed class RagContextProvider : AIContextProvider
{
    /// <summary>With <see cref="RagContextPlacement.Message"/>: the key of the message's <see cref="ChatMessage.AdditionalProperties"/> that holds the <see cref="RagContext"/>.</summary>
    public const string ContextProperty = "rag.context";

    private readonly IRagRetriever _retriever;
    private readonly RagContextOptions _options;
    private readonly IList<AITool> _tools;

    /// <param name="retriever">Rag over HTTP (<see cref="HttpRagRetriever"/>) or in process.</param>
    /// <param name="options">Collections, budget, method; checked here.</param>
    public RagContextProvider(IRagRetriever retriever, RagContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _retriever = retriever;
        _options = options;
        _tools = options.AddTools ? RagAgentTools.Create(retriever, options.Collections[0]) : [];
    }

    /// <summary>The latest user request's text in <paramref name="messages"/>, or null.</summary>
    public static string? LatestRequest(IEnumerable<ChatMessage>? messages) =>
        messages?.LastOrDefault(m => m.Role == ChatRole.User && !string.IsNullOrWhiteSpace(m.Text))?.Text;

    /// <inheritdoc/>
    protected override async ValueTask<AIContext> ProvideAIContextAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var question = LatestRequest(context.AIContext.Messages);
        var provided = new AIContext { Tools = _tools.Count == 0 ? null : _tools };
        if (question is null)
            return provided;
        var rag = await RagContextBuilder.BuildAsync(_retriever, _options, question, cancellationToken);
        if (rag.Sources.Count == 0)
            return provided;
        if (_options.Retrieved is { } retrieved)
            await retrieved(rag, cancellationToken);
        if (_options.Placement == RagContextPlacement.Instructions)
            provided.Instructions = rag.Text;
        else
            provided.Messages = [new ChatMessage(ChatRole.User, rag.Text) { AdditionalProperties = new() { [ContextProperty] = rag } }];
        return provided;
    }
}
