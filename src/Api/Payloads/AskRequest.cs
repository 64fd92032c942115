using Rag.Engine.Search;

namespace Rag.Api.Payloads;

/// <summary>A question.</summary>
/// <param name="Question">The question (required).</param>
/// <param name="TopK">Chunks retrieved as context, 1–50 (default 5).</param>
/// <param name="BudgetTokens">Most tokens of context the answer may use, 16–32768 (default 256).</param>
/// <param name="Tags">Only documents carrying all these tags.</param>
/// <param name="Mode">Retrieval: lexical, dense or hybrid (default hybrid with an embedder, else lexical).</param>
/// <param name="Stream">Answer with server-sent events: "token" events as the text comes, then one "done" event with the whole result.</param>
/// <param name="MaxTokens">Most tokens to generate, 1–4096 (default from configuration). Ignored for extractive answers.</param>
/// <param name="Temperature">0 decodes greedily; 0–2 (default from configuration).</param>
/// <param name="TopP">Nucleus sampling mass, above 0 and at most 1.</param>
/// <param name="Seed">Makes sampling repeatable.</param>
/// <param name="Stop">Up to 4 stop sequences (1–64 characters each); the answer ends before the first.</param>
/// <param name="Compression">Compress the retrieved context first: {"method", "rate", "target_token"}; the response gains the compression figures and the compressed prompt.</param>
public sealed record AskRequest(
    string? Question,
    int? TopK = null,
    int? BudgetTokens = null,
    IList<string>? Tags = null,
    SearchMode? Mode = null,
    bool? Stream = null,
    int? MaxTokens = null,
    float? Temperature = null,
    float? TopP = null,
    int? Seed = null,
    IList<string>? Stop = null,
    AskCompressionRequest? Compression = null);
