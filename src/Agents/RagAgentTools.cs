using System.ComponentModel;
using Microsoft.Extensions.AI;
using Rag.Client;

namespace Rag.Agents;

/// <summary>Rag's <c>search</c> and <c>ask</c> as <see cref="AIFunction"/> tools, for agents that decide themselves when to look things up.</summary>
public static class RagAgentTools
{
    /// <summary>The tools over one collection.</summary>
    /// <param name="retriever">Rag over HTTP or in process.</param>
    /// <param name="collection">The collection they search.</param>
    public static IList<AITool> Create(IRagRetriever retriever, string collection)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        var tools = new Tools(retriever, collection);
        return
        [
            AIFunctionFactory.Create(tools.SearchAsync, "search", $"Searches the '{collection}' document collection; returns the best matching passages with their document, title and place."),
            AIFunctionFactory.Create(tools.AskAsync, "ask", $"Answers a question from the '{collection}' document collection, citing its sources as [n]."),
        ];
    }

    private sealed class Tools(IRagRetriever retriever, string collection)
    {
        public async Task<IReadOnlyList<RagSearchHit>> SearchAsync(
            [Description("What to look for, in your own words.")] string query,
            [Description("How many passages to return (1 to 20).")] int topK = 5,
            CancellationToken cancellationToken = default) =>
            (await retriever.SearchAsync(collection, new RagSearchRequest(query, Math.Clamp(topK, 1, 20)), cancellationToken)).Results;

        public async Task<RagAnswer> AskAsync(
            [Description("The question to answer.")] string question,
            CancellationToken cancellationToken = default) =>
            await retriever.AskAsync(collection, new RagAskRequest(question), cancellationToken);
    }
}
