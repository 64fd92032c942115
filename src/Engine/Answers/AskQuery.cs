namespace Rag.Engine.Answers;

/// <summary>A question about one collection.</summary>
/// <param name="Question">The question.</param>
/// <param name="TopK">Chunks retrieved as context.</param>
/// <param name="BudgetTokens">Most tokens of context the answer may use (cl100k).</param>
/// <param name="Tags">Only documents carrying all these tags.</param>
public sealed record AskQuery(string Question, int TopK, int BudgetTokens, IReadOnlyList<string> Tags);
