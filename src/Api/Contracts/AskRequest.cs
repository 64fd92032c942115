namespace Rag.Api.Contracts;

/// <summary>A question.</summary>
/// <param name="Question">The question (required).</param>
/// <param name="TopK">Chunks retrieved as context, 1–50 (default 5).</param>
/// <param name="BudgetTokens">Most tokens of context the answer may use, 16–32768 (default 256).</param>
/// <param name="Tags">Only documents carrying all these tags.</param>
public sealed record AskRequest(string? Question, int? TopK = null, int? BudgetTokens = null, IList<string>? Tags = null);
