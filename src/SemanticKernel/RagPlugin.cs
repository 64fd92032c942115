using System.ComponentModel;
using Microsoft.SemanticKernel;
using Rag.Contracts;

namespace Rag.SemanticKernel;

/// <summary>
/// Rag's kernel functions: answer questions from a document collection with cited sources, find
/// passages, compress long text before it goes to a model, and add documents. Descriptions are
/// written for automatic function calling. Register with <c>kernel.Plugins.AddRag(backend)</c> or
/// <c>kernelBuilder.Plugins.AddRag()</c> (backend from the kernel's services).
/// </summary>
public sealed class RagPlugin(IRagBackend backend, RagPluginOptions? options = null)
{
    private readonly RagPluginOptions _options = options ?? new RagPluginOptions();

    /// <summary>The <c>ask</c> kernel function.</summary>
    [KernelFunction("ask")]
    [Description("Answers a question from the documents in a collection. Returns the answer with [n] markers and the numbered sources it quotes; use it for questions about the user's documents.")]
    public Task<RagAskResult> AskAsync(
        [Description("The question, in natural language.")] string question,
        [Description("The document collection to search; omit for the default collection.")] string? collection = null,
        [Description("How many passages to retrieve as context (1-50).")] int topK = 5,
        [Description("Only documents carrying all of these tags.")] string[]? tags = null,
        CancellationToken cancellationToken = default) =>
        backend.AskAsync(Collection(collection), Required(question, nameof(question)), Clamp(topK, 1, 50), tags, cancellationToken);

    /// <summary>The <c>search</c> kernel function.</summary>
    [KernelFunction("search")]
    [Description("Finds the passages of a document collection that best match a query, best first, with their text and score. Use it to look things up before answering or to show sources.")]
    public Task<IReadOnlyList<RagSearchResult>> SearchAsync(
        [Description("What to look for: keywords or a question.")] string query,
        [Description("The document collection to search; omit for the default collection.")] string? collection = null,
        [Description("How many passages to return (1-100).")] int topK = 5,
        [Description("Only documents carrying all of these tags.")] string[]? tags = null,
        CancellationToken cancellationToken = default) =>
        backend.SearchAsync(Collection(collection), Required(query, nameof(query)), Clamp(topK, 1, 100), tags, cancellationToken);

    /// <summary>The <c>compress</c> kernel function.</summary>
    [KernelFunction("compress")]
    [Description("Shortens a long text (a document, a log, code) to a fraction of its tokens, keeping what matters most for a question. Use it before putting long text into a prompt.")]
    public Task<RagCompressResult> CompressAsync(
        [Description("The text to shorten.")] string text,
        [Description("The question the shortened text must still answer; keeps the relevant parts.")] string? question = null,
        [Description("Fraction of the tokens to keep, above 0 and at most 1 (0.5 keeps half).")] double rate = 0.5,
        [Description("auto (default), segment, longcodezip (code), gemfilter, truncate or none.")] string method = "auto",
        CancellationToken cancellationToken = default)
    {
        if (!CompressionRules.IsRate(rate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"rate must be {CompressionRules.RateRule}.");
        return backend.CompressAsync(Required(text, nameof(text)), question, rate, method, cancellationToken);
    }

    /// <summary>The <c>ingest</c> kernel function.</summary>
    [KernelFunction("ingest")]
    [Description("Adds a text document to a collection so that ask and search can find it. Waits until it is indexed and returns its id and state.")]
    public Task<RagIngestResult> IngestAsync(
        [Description("The document's text (Markdown or plain text).")] string text,
        [Description("A title shown with results.")] string? title = null,
        [Description("The collection to add it to; omit for the default collection.")] string? collection = null,
        [Description("Tags to filter search by later.")] string[]? tags = null,
        CancellationToken cancellationToken = default) =>
        backend.IngestAsync(Collection(collection), Required(text, nameof(text)), title, tags, wait: true, cancellationToken);

    /// <summary>The <c>ingest_many</c> kernel function.</summary>
    [KernelFunction("ingest_many")]
    [Description("Adds many text documents to a collection at once (one request; faster than ingest one by one). Waits until they are indexed and returns each one's id and state, in order.")]
    public Task<IReadOnlyList<RagIngestResult>> IngestManyAsync(
        [Description("The documents' texts (Markdown or plain text), one per document.")] string[] texts,
        [Description("The collection to add them to; omit for the default collection.")] string? collection = null,
        [Description("Tags for every one of them, to filter search by later.")] string[]? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Length == 0)
            throw new ArgumentException("texts must hold at least one text.", nameof(texts));
        for (var i = 0; i < texts.Length; i++)
            Required(texts[i], $"texts[{i}]");
        return backend.IngestManyAsync(Collection(collection), texts, tags, wait: true, cancellationToken);
    }

    private string Collection(string? collection)
    {
        var name = string.IsNullOrWhiteSpace(collection) ? _options.DefaultCollection : collection.Trim();
        return CollectionNames.IsValid(name)
            ? name
            : throw new ArgumentException($"collection must be {CollectionNames.Rule}; it is '{name}'.", nameof(collection));
    }

    private static string Required(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} is required.", name) : value;

    private static int Clamp(int value, int min, int max) => Math.Clamp(value, min, max);
}
