using System.ComponentModel;
using Microsoft.AspNetCore.Http.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Rag.Api.Apis;
using Rag.Compression;
using Rag.Compression.Methods;
using Rag.Contracts;
using Rag.Engine.Admission;
using Rag.Engine.Answers;
using Rag.Engine.Documents;
using Rag.Engine.Search;

namespace Rag.Api.Mcp;

/// <summary>
/// The MCP server's tools. Each one runs the HTTP endpoint's own handler, so a tool checks its input by the
/// same rules, answers with the same shapes and refuses with the same reasons; the caller is the API key
/// of the MCP request (<see cref="McpEndpoint"/>), limited to its collections.
/// </summary>
[McpServerToolType]
internal sealed class RagTools(IHttpContextAccessor accessor, DocumentService documents, IOptions<RagOptions> options)
{
    private const string CollectionHelp = "The collection's name (lower-case letters, digits, '-' and '_'). list_documents shows what one holds.";

    private HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("An MCP tool ran outside an HTTP request.");

    [McpServerTool(Name = "search", Title = "Search a collection", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Finds the passages of a document collection that best match a query, best first, each with its document id, chunk id, " +
        "character span in the document, score and text. Use it to gather evidence you will read yourself; use ask for a short answer with citations.")]
    public async Task<SearchResponse> SearchAsync(
        SearchService search,
        [Description(CollectionHelp)] string collection,
        [Description("What to look for: a question or keywords.")] string query,
        [Description("How many passages to return, 1-100 (default 10).")] int? top_k = null,
        [Description("lexical (BM25 words), dense (meaning, needs the encoder) or hybrid (both; the default when the service has an encoder).")] SearchMode? mode = null,
        [Description("Only passages of documents carrying every one of these tags.")] IList<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        Authorize(collection);
        return Unwrap<SearchResponse>((await QueryApi.SearchAsync(collection, new SearchRequest(query, top_k, tags, mode), Http, documents, search, cancellationToken)).Result);
    }

    [McpServerTool(Name = "ask", Title = "Ask a collection", ReadOnly = true, OpenWorld = false)]
    [Description("Answers a question from a document collection: retrieves the best passages, compresses them to a token budget and answers " +
        "(generated when the service has a generator, otherwise the best supporting sentences). Each citation [n] names its document, " +
        "the character span and the quoted text; figures say how many tokens were retrieved and how many reached the answer.")]
    public async Task<AskResult> AskAsync(
        SearchService search,
        AskService ask,
        PromptCompressor compressor,
        ILoggerFactory loggers,
        [Description(CollectionHelp)] string collection,
        [Description("The question, in natural language.")] string question,
        [Description("How many passages to retrieve, 1-50 (default 5).")] int? top_k = null,
        [Description("The context budget in tokens, 16-32768 (default 256): retrieved text is compressed to fit it.")] int? budget_tokens = null,
        [Description("Search mode: lexical, dense or hybrid (see search).")] SearchMode? mode = null,
        [Description("Only passages of documents carrying every one of these tags.")] IList<string>? tags = null,
        [Description("The longest answer in tokens (generated answers only).")] int? max_tokens = null,
        CancellationToken cancellationToken = default)
    {
        Authorize(collection);
        var request = new AskRequest(question, top_k, budget_tokens, tags, mode, Stream: false, MaxTokens: max_tokens);
        using var turn = await EnterAsync(QueryApi.AskWork(Http), cancellationToken);
        return Unwrap<AskResult>((await QueryApi.AskAsync(collection, request, Http, documents, search, ask, compressor, options, loggers, cancellationToken)).Result);
    }

    [McpServerTool(Name = "compress", Title = "Compress a prompt", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Compresses text you already have (documents, retrieved passages, code) to a token budget before you send it to a model, " +
        "keeping what bears on the question. Returns the compressed prompt, token counts before and after, whether the budget was met " +
        "and which character spans of each context item were kept. Give either rate or target_token.")]
    public async Task<CompressionResult> CompressAsync(
        PromptCompressor compressor,
        [Description("The text to compress: one string per document or passage (kept in this order).")] IList<string> context,
        [Description("The question the compressed text must still answer; kept intact and used to decide what matters.")] string? question = null,
        [Description("An instruction to keep intact in front of the context.")] string? instruction = null,
        [Description("Fraction of the context's tokens to keep, above 0 and at most 1 (e.g. 0.25 keeps a quarter).")] double? rate = null,
        [Description("Token budget for the whole compressed prompt; overrides rate.")] int? target_token = null,
        [Description("Compression method; auto (the default) chooses by content type. The methods: see the service's /docs (Compress).")] string? method = null,
        [Description("The context's media type or language (e.g. text/markdown, csharp, python); detected when absent.")] string? content_type = null,
        CancellationToken cancellationToken = default)
    {
        CompressionMethod? chosen = null;
        if (method is not null)
        {
            if (!CompressionMethod.TryParse(method, out var parsed))
                throw new McpException($"'method' {method} is not a compression method; use one of: {string.Join(", ", CompressionMethods.Names)}.");
            chosen = parsed;
        }

        var body = System.Text.Json.JsonSerializer.SerializeToElement(context);
        var request = new CompressRequest(body, instruction, question, rate, target_token, chosen, content_type);
        using var turn = await EnterAsync(WorkKind.Compression, cancellationToken);
        return Unwrap<CompressionResult>((await CompressApi.CompressAsync(request, compressor, options, Http, cancellationToken)).Result);
    }

    [McpServerTool(Name = "ingest_text", Title = "Add a text document", Destructive = false, OpenWorld = false)]
    [Description("Adds a text, Markdown, HTML or source-code document to a collection (created on first use). Ingestion runs in the background: " +
        "the answer has the document's id and state (queued, then parsing, chunking, embedding, ready — or failed with a reason); " +
        "call get_document until it is ready before searching it. The same text twice is stored once (duplicate: true).")]
    public async Task<DocumentResponse> IngestTextAsync(
        [Description(CollectionHelp)] string collection,
        [Description("The document's full text.")] string text,
        [Description("A title shown with search results and citations.")] string? title = null,
        [Description("Tags to filter searches by later.")] IList<string>? tags = null,
        [Description("A file name; its extension picks the format (.md, .html, .cs, .py, ...).")] string? file_name = null,
        [Description("The media type (text/plain, text/markdown, text/html, or a language's); overrides the file name.")] string? content_type = null,
        CancellationToken cancellationToken = default)
    {
        Authorize(collection);
        var result = await DocumentsApi.AddTextAsync(collection, new TextDocumentRequest(text, title, tags, file_name, content_type), Services(cancellationToken));
        return Unwrap<DocumentResponse>(result.Result);
    }

    [McpServerTool(Name = "list_documents", Title = "List a collection's documents", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists the documents of a collection, oldest first, with their ids, titles, tags and ingestion state. " +
        "Pages: pass the returned next_after as after to get the next page.")]
    public async Task<DocumentListResponse> ListDocumentsAsync(
        [Description(CollectionHelp)] string collection,
        [Description("Page size, 1-1000 (default 100).")] int? limit = null,
        [Description("The id after which the page starts (next_after of the previous page).")] string? after = null,
        CancellationToken cancellationToken = default)
    {
        Authorize(collection);
        return Unwrap<DocumentListResponse>((await DocumentsApi.ListAsync(collection, limit, after, Services(cancellationToken))).Result);
    }

    [McpServerTool(Name = "get_document", Title = "Read a document", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("A document's ingestion state and, once it is parsed, its text (from offset, at most max_characters). " +
        "Citation and search spans (start, end) are character offsets into this text.")]
    public async Task<DocumentText> GetDocumentAsync(
        [Description(CollectionHelp)] string collection,
        [Description("The document's id (from search, ask, list_documents or ingest_text).")] string document_id,
        [Description("Where in the text to start, in characters (default 0).")] int offset = 0,
        [Description("The most characters of text to return, 1-100000 (default 20000).")] int max_characters = 20_000,
        CancellationToken cancellationToken = default)
    {
        Authorize(collection);
        if (offset < 0)
            throw new McpException("'offset' must be 0 or more.");
        if (max_characters is < 1 or > 100_000)
            throw new McpException("'max_characters' must be between 1 and 100000.");
        var document = Unwrap<DocumentResponse>((await DocumentsApi.GetAsync(collection, document_id, Services(cancellationToken))).Result);
        var text = document.State == Retrieval.Stores.DocumentState.Ready
            ? await documents.GetTextAsync(collection, document_id, cancellationToken)
            : null;
        if (text is null)
            return new DocumentText(document, null, 0, 0);
        var start = Math.Min(offset, text.Length);
        var length = Math.Min(max_characters, text.Length - start);
        return new DocumentText(document, text.Substring(start, length), start, text.Length);
    }

    /// <summary>A document with a window of its text.</summary>
    public sealed record DocumentText(DocumentResponse Document, string? Text, int Offset, int TotalCharacters);

    private DocumentServices Services(CancellationToken cancellationToken) => new(documents, options, cancellationToken);

    /// <summary>The same collection rules as the HTTP API: a valid name that the key covers.</summary>
    private void Authorize(string collection)
    {
        if (!CollectionNames.IsValid(collection))
            throw new McpException($"'collection' must be {CollectionNames.Rule}.");
        if (!Http.GetCaller().MayUse(collection))
            throw new McpException($"This API key may not use the collection '{collection}'.");
    }

    /// <summary>A turn at the model gate, as the HTTP endpoints take one; a full line is a clear, retryable refusal.</summary>
    private async Task<IDisposable> EnterAsync(WorkKind kind, CancellationToken cancellationToken)
    {
        try
        {
            return await Http.RequestServices.GetRequiredService<WorkAdmission>()[kind].EnterAsync(cancellationToken);
        }
        catch (WorkRejectedException e)
        {
            throw new McpException(e.Message);
        }
    }

    /// <summary>The handler's answer, or its refusal as a tool error with the same words.</summary>
    private static T Unwrap<T>(IResult result) => result switch
    {
        IValueHttpResult<T> { Value: { } value } => value,
        ValidationProblem invalid => throw new McpException(string.Join(" ", invalid.ProblemDetails.Errors.SelectMany(e => e.Value))),
        ProblemHttpResult problem => throw new McpException(string.Join(" ", new[] { problem.ProblemDetails.Title, problem.ProblemDetails.Detail }.Where(t => !string.IsNullOrEmpty(t)))),
        _ => throw new InvalidOperationException($"Unexpected result {result.GetType().Name}."),
    };
}
