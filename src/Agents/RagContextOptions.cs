namespace Rag.Agents;

/// <summary>What the context provider retrieves and how much of it it keeps.</summary>
public sealed class RagContextOptions
{
    /// <summary>The collections searched (at least one); their hits are merged by score.</summary>
    public IList<string> Collections { get; } = [];

    /// <summary>Chunks retrieved per question, over all collections.</summary>
    public int TopK { get; set; } = 5;

    /// <summary>Tokens (cl100k) the sources' text may take after compression.</summary>
    public int BudgetTokens { get; set; } = 512;

    /// <summary>The compression method (<c>coarse_to_fine</c>: question-aware, keeps whole sentences and items).</summary>
    public string Method { get; set; } = "coarse_to_fine";

    /// <summary>Only chunks of documents with every one of these tags; empty: all.</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>The search mode (<c>hybrid</c>, <c>dense</c>, <c>lexical</c>); null: the service's default.</summary>
    public string? SearchMode { get; set; }

    /// <summary>The line before the sources, telling the model how to use and cite them.</summary>
    public string Header { get; set; } =
        "Sources retrieved for the user's latest request. Answer from them where they apply and cite each fact with its source number, e.g. [1].";

    /// <summary>Where the sources go: the invocation's instructions (default) or a message of the conversation.</summary>
    public RagContextPlacement Placement { get; set; } = RagContextPlacement.Instructions;

    /// <summary>Called with each question's context (its sources and figures) before the model is: to show citations, log, count.</summary>
    public Func<RagContext, CancellationToken, ValueTask>? Retrieved { get; set; }

    /// <summary>Also offer the model Rag's <c>search</c> and <c>ask</c> tools (over the first collection) on every call.</summary>
    public bool AddTools { get; set; }

    internal void Validate()
    {
        if (Collections.Count == 0 || Collections.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("RagContextOptions.Collections must name at least one collection, none empty.");
        ArgumentOutOfRangeException.ThrowIfLessThan(TopK, 1, nameof(TopK));
        ArgumentOutOfRangeException.ThrowIfLessThan(BudgetTokens, 16, nameof(BudgetTokens));
        ArgumentException.ThrowIfNullOrWhiteSpace(Method, nameof(Method));
    }
}

/// <summary>Where the context provider puts the sources.</summary>
public enum RagContextPlacement
{
    /// <summary>
    /// In the invocation's instructions: sent with this call only, never stored in the conversation's history, so each
    /// turn carries its own sources and no earlier turn's.
    /// </summary>
    Instructions,

    /// <summary>
    /// As a user message beside the request (<c>AdditionalProperties["rag.context"]</c> holds the <see cref="RagContext"/>):
    /// Agent Framework may keep it in the history, so later turns carry it too.
    /// </summary>
    Message,
}
