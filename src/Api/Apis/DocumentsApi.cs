using System.Text;
using System.Text.Json;
using Rag.Engine.Documents;
using Rag.Retrieval.Parsing;

namespace Rag.Api.Apis;

/// <summary>Upload, inspect, list and delete documents of a collection.</summary>
public static partial class DocumentsApi
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    public static RouteGroupBuilder MapDocumentsApi(this RouteGroupBuilder collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var documents = collection.MapGroup("/documents").WithTags("Documents");

        documents.MapPost("/", UploadAsync)
            .WithName("UploadDocument")
            .WithSummary("Upload a document (multipart 'file', or JSON 'text') and queue its ingestion")
            .WithDescription("Answers 202 with the new document and its status URL, or 200 with the existing document when the same bytes are already in the collection.")
            .Accepts<TextDocumentRequest>("application/json", "multipart/form-data")
            .WithMetadata(UploadEndpoint.Instance)
            .Refuses(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            .DisableAntiforgery();
        documents.MapGet("/", ListAsync).WithName("ListDocuments").WithSummary("List the collection's documents, oldest first")
            .Refuses(StatusCodes.Status404NotFound);
        documents.MapGet("/{id}", GetAsync).WithName("GetDocument").WithSummary("A document's ingestion state and progress")
            .Refuses(StatusCodes.Status404NotFound);
        documents.MapGet("/{id}/content", GetContentAsync).WithName("GetDocumentContent")
            .WithSummary("The document's parsed text, which chunk and citation spans point into")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        documents.MapGet("/{id}/chunks", GetChunksAsync).WithName("GetDocumentChunks").WithSummary("The document's chunks")
            .Refuses(StatusCodes.Status404NotFound);
        collection.MapBatchUpload();
        documents.MapDelete("/{id}", DeleteAsync).WithName("DeleteDocument").WithSummary("Delete a document, its chunks and its index entries")
            .Refuses(StatusCodes.Status404NotFound);
        return collection;
    }

    public static async Task<Results<Accepted<DocumentResponse>, Ok<DocumentResponse>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        string collection, HttpRequest request, [AsParameters] DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var limit = services.Options.Value.Ingestion.MaxUploadBytes;
        if (request.ContentLength > limit + UploadEndpoint.MultipartAllowance)
            return ApiProblems.TooLarge(limit);

        var read = request.HasFormContentType
            ? await ReadFileAsync(collection, request, limit, services.CancellationToken)
            : request.HasJsonContentType()
                ? await ReadJsonAsync(collection, request, limit, services.CancellationToken)
                : UploadRead.Fail(ApiProblems.UnsupportedMediaType(
                    "Send multipart/form-data with the document in a field named 'file', or application/json with the text in 'text'."));
        if (read.Problem is not null)
            return Problem(read.Problem);
        return await AddAsync(read.Upload!, services);
    }

    private static async Task<Results<Accepted<DocumentResponse>, Ok<DocumentResponse>, ValidationProblem, ProblemHttpResult>> AddAsync(
        DocumentUpload upload, DocumentServices services)
    {
        var (document, created) = await services.Documents.AddAsync(upload, services.CancellationToken);
        if (!created)
            return TypedResults.Ok(DocumentResponse.From(document, duplicate: true));
        var response = DocumentResponse.From(document);
        return TypedResults.Accepted(response.StatusUrl, response);
    }

    private static Results<Accepted<DocumentResponse>, Ok<DocumentResponse>, ValidationProblem, ProblemHttpResult> Problem(IResult problem) => problem switch
    {
        ValidationProblem validation => validation,
        ProblemHttpResult other => other,
        _ => throw new InvalidOperationException("Unexpected problem type."),
    };

    /// <summary>Adds a text document, as the JSON upload does (used by the MCP server's ingest_text).</summary>
    public static async Task<Results<Accepted<DocumentResponse>, Ok<DocumentResponse>, ValidationProblem, ProblemHttpResult>> AddTextAsync(
        string collection, TextDocumentRequest request, DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var read = FromText(collection, request, services.Options.Value.Ingestion.MaxUploadBytes);
        if (read.Problem is not null)
            return Problem(read.Problem);
        return await AddAsync(read.Upload!, services);
    }

    public static async Task<Results<Ok<DocumentListResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string collection, int? limit, string? after, [AsParameters] DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var errors = new Dictionary<string, string[]>();
        RequestRules.Range(errors, "limit", limit, 1, MaxPageSize);
        if (errors.Count > 0)
            return ApiProblems.Invalid(errors);
        if (!await services.Documents.CollectionExistsAsync(collection, services.CancellationToken))
            return ApiProblems.CollectionNotFound(collection);

        var size = limit ?? DefaultPageSize;
        var page = await services.Documents.ListAsync(collection, size, after, services.CancellationToken);
        var next = page.Count == size ? page[^1].Id : null;
        return TypedResults.Ok(new DocumentListResponse(page.Select(d => DocumentResponse.From(d)).ToList(), next));
    }

    public static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetAsync(
        string collection, string id, [AsParameters] DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var document = await services.Documents.GetAsync(collection, id, services.CancellationToken);
        return document is null ? ApiProblems.DocumentNotFound(collection, id) : TypedResults.Ok(DocumentResponse.From(document));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetContentAsync(
        string collection, string id, [AsParameters] DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var document = await services.Documents.GetAsync(collection, id, services.CancellationToken);
        if (document is null)
            return ApiProblems.DocumentNotFound(collection, id);
        var text = await services.Documents.GetTextAsync(collection, id, services.CancellationToken);
        return text is null
            ? ApiProblems.Conflict("The document has not been parsed yet.", $"Its state is '{document.State.ToString().ToLowerInvariant()}'; try again when it is ready.")
            : TypedResults.Text(text, "text/plain; charset=utf-8");
    }

    public static async Task<Results<Ok<IReadOnlyList<ChunkResponse>>, ProblemHttpResult>> GetChunksAsync(
        string collection, string id, [AsParameters] DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (await services.Documents.GetAsync(collection, id, services.CancellationToken) is null)
            return ApiProblems.DocumentNotFound(collection, id);
        var chunks = await services.Documents.GetChunksAsync(collection, id, services.CancellationToken);
        IReadOnlyList<ChunkResponse> response = chunks
            .Select(c => new ChunkResponse(new Retrieval.Chunking.ChunkRef(id, c.Index).ToString(), c.Index, c.Start, c.End, c.TokenCount, c.Section, c.Text))
            .ToList();
        return TypedResults.Ok(response);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string collection, string id, [AsParameters] DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return await services.Documents.DeleteAsync(collection, id, services.CancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.DocumentNotFound(collection, id);
    }

    private sealed record UploadRead(DocumentUpload? Upload, IResult? Problem)
    {
        public static UploadRead Fail(IResult problem) => new(null, problem);
    }

    private static async Task<UploadRead> ReadFileAsync(string collection, HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // A boundary that does not match the body, a body cut short, a malformed part header.
            return UploadRead.Fail(ApiProblems.Invalid("file",
                "The multipart body is not valid: its parts do not match the boundary in Content-Type, or it ends early. Send multipart/form-data with the document in a field named 'file'."));
        }

        var file = form.Files.GetFile("file");
        if (file is null)
            return UploadRead.Fail(ApiProblems.Invalid("file", "Send the document in a multipart field named 'file'."));
        var errors = new Dictionary<string, string[]>();
        var title = form["title"].ToString();
        RequestRules.Title(errors, title);
        var tags = FormTags(errors, form);
        if (errors.Count > 0)
            return UploadRead.Fail(ApiProblems.Invalid(errors));
        return await FromFileAsync(collection, file, title, tags, limit, cancellationToken);
    }

    /// <summary>Tags of a form: repeated fields or one comma-separated field.</summary>
    private static IReadOnlyList<string> FormTags(Dictionary<string, string[]> errors, IFormCollection form) =>
        RequestRules.Tags(errors, form["tags"].SelectMany(t => (t ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)));

    /// <summary>One uploaded file as an upload, checked by the same rules as a single upload.</summary>
    private static async Task<UploadRead> FromFileAsync(string collection, IFormFile file, string? title, IReadOnlyList<string> tags, long limit, CancellationToken cancellationToken)
    {
        if (file.Length > limit)
            return UploadRead.Fail(ApiProblems.TooLarge(limit));
        if (file.Length == 0)
            return UploadRead.Fail(ApiProblems.Invalid("file", "The file is empty."));

        var kind = DocumentKinds.Detect(file.FileName, file.ContentType);
        if (kind is null)
            return UploadRead.Fail(Unsupported(file.FileName, file.ContentType));

        var errors = new Dictionary<string, string[]>();
        RequestRules.FileName(errors, "file", Path.GetFileName(file.FileName));
        if (errors.Count > 0)
            return UploadRead.Fail(ApiProblems.Invalid(errors));

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
            await stream.ReadExactlyAsync(content, cancellationToken);
        var fileName = Path.GetFileName(file.FileName);
        return new UploadRead(new DocumentUpload(collection, content, kind, fileName, string.IsNullOrWhiteSpace(title) ? fileName : title.Trim(), tags), null);
    }

    private static async Task<UploadRead> ReadJsonAsync(string collection, HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        TextDocumentRequest? body;
        try
        {
            var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            body = await request.ReadFromJsonAsync<TextDocumentRequest>(options, cancellationToken);
        }
        catch (JsonException e)
        {
            return UploadRead.Fail(ApiProblems.InvalidJson(e));
        }

        return FromText(collection, body, limit);
    }

    /// <summary>A text document as an upload, checked by the same rules as the JSON upload.</summary>
    private static UploadRead FromText(string collection, TextDocumentRequest? body, long limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (body is null || string.IsNullOrWhiteSpace(body.Text))
            errors["text"] = ["'text' is required and must not be empty."];
        RequestRules.Title(errors, body?.Title);
        RequestRules.FileName(errors, "file_name", body?.FileName);
        var tags = RequestRules.Tags(errors, body?.Tags);
        if (errors.Count > 0)
            return UploadRead.Fail(ApiProblems.Invalid(errors));

        var content = Encoding.UTF8.GetBytes(body!.Text!);
        if (content.Length > limit)
            return UploadRead.Fail(ApiProblems.TooLarge(limit));
        var kind = DocumentKinds.Detect(body.FileName, body.ContentType ?? (body.FileName is null ? "text/plain" : null));
        if (kind is null || kind.Format == DocumentFormat.Pdf)
            return UploadRead.Fail(Unsupported(body.FileName, body.ContentType));
        return new UploadRead(new DocumentUpload(collection, content, kind, body.FileName, body.Title?.Trim() ?? body.FileName, tags), null);
    }

    private static ProblemHttpResult Unsupported(string? fileName, string? contentType) => ApiProblems.UnsupportedMediaType(
        $"'{fileName ?? contentType}' is not a supported document type. Supported: text, Markdown, HTML, PDF (as a file) and source code ({string.Join(", ", DocumentKinds.Extensions.Order(StringComparer.Ordinal))}).");
}
