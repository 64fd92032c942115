using System.Text.Json;
using Rag.Engine.Documents;

namespace Rag.Api.Apis;

/// <summary>Many documents in one request: JSON lines, or a multipart form with many files.</summary>
public static partial class DocumentsApi
{
    private static readonly string[] JsonLinesTypes = ["application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/json-seq"];

    private static RouteGroupBuilder MapBatchUpload(this RouteGroupBuilder collection)
    {
        collection.MapPost("/documents:batch", UploadBatchAsync)
            .WithTags("Documents")
            .WithName("UploadDocuments")
            .WithSummary("Upload many documents at once: JSON lines (one document per line) or a multipart form with many 'file' fields")
            .WithDescription(
                "Each line (application/x-ndjson) is a document as the JSON upload takes it: {\"text\", \"title\", \"tags\", \"file_name\", \"content_type\"}; " +
                "or send multipart/form-data with one 'file' field per document (and 'tags' for all of them). Answers 202 with one entry per " +
                "document in order: its id, status URL, state and whether it was already there — or the reason it was refused, naming the item " +
                "(the line number, or the file's position) and the field. One bad item never rejects the others. The whole batch is held to " +
                "Rag:Ingestion:MaxUploadBytes and Rag:Ingestion:MaxBatchDocuments.")
            .Accepts<TextDocumentRequest>("application/x-ndjson", "multipart/form-data")
            .WithMetadata(UploadEndpoint.Instance)
            .Refuses(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            .DisableAntiforgery();
        collection.MapGet("/batches/{id}", GetBatchAsync)
            .WithTags("Documents")
            .WithName("GetBatch")
            .WithSummary("A batch upload's progress: its documents by state, bytes finished, tokens indexed")
            .WithDescription("The documents the batch created and that still exist; `finished` once none is queued or running.")
            .Refuses(StatusCodes.Status404NotFound);
        collection.MapPost("/batches/{id}:cancel", CancelBatchAsync)
            .WithTags("Documents")
            .WithName("CancelBatch")
            .WithSummary("Cancel a batch upload: its documents not yet ready or failed are deleted (running ingestion stops); finished ones stay")
            .Refuses(StatusCodes.Status404NotFound);
        return collection;
    }

    public static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> GetBatchAsync(
        string collection, string id, [AsParameters] DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var batch = await services.Documents.GetBatchAsync(collection, id, services.CancellationToken);
        return batch is null ? ApiProblems.BatchNotFound(collection, id) : TypedResults.Ok(BatchResponse.From(collection, id, batch));
    }

    public static async Task<Results<Ok<BatchCancelResponse>, ProblemHttpResult>> CancelBatchAsync(
        string collection, string id, [AsParameters] DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var cancelled = await services.Documents.CancelBatchAsync(collection, id, services.CancellationToken);
        if (cancelled is null)
            return ApiProblems.BatchNotFound(collection, id);
        var batch = await services.Documents.GetBatchAsync(collection, id, services.CancellationToken);
        return TypedResults.Ok(new BatchCancelResponse(id, cancelled.Value, batch is null ? null : BatchResponse.From(collection, id, batch)));
    }

    public static async Task<Results<Accepted<BatchUploadResponse>, ValidationProblem, ProblemHttpResult>> UploadBatchAsync(
        string collection, HttpRequest request, [AsParameters] DocumentServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var ingestion = services.Options.Value.Ingestion;
        if (request.ContentLength > ingestion.MaxUploadBytes + UploadEndpoint.MultipartAllowance)
            return ApiProblems.TooLarge(ingestion.MaxUploadBytes);

        List<BatchItem> items;
        if (request.HasFormContentType)
        {
            var read = await ReadFilesAsync(collection, request, ingestion.MaxUploadBytes, services.CancellationToken);
            if (read.Problem is not null)
                return (ValidationProblem)read.Problem;
            items = read.Items!;
        }
        else if (IsJsonLines(request.ContentType))
        {
            items = await ReadLinesAsync(collection, request, ingestion.MaxUploadBytes, services.CancellationToken);
        }
        else
        {
            return ApiProblems.UnsupportedMediaType(
                "Send application/x-ndjson with one JSON document per line, or multipart/form-data with one 'file' field per document.");
        }

        if (items.Count == 0)
            return ApiProblems.Invalid("documents", "The batch holds no document.");
        if (items.Count > ingestion.MaxBatchDocuments)
            return ApiProblems.Invalid("documents", $"A batch holds at most {ingestion.MaxBatchDocuments} documents (Rag:Ingestion:MaxBatchDocuments); this one holds {items.Count}.");

        var uploads = items.Where(i => i.Upload is not null).Select(i => i.Upload!).ToList();
        var batchId = DocumentService.NewBatchId();
        var added = await services.Documents.AddManyAsync(collection, uploads, services.CancellationToken, batchId);
        var next = 0;
        var entries = items.Select(item =>
        {
            if (item.Upload is null)
                return new BatchUploadItem(item.Number, item.FileName, Error: BatchUploadError.From(item.Problem!));
            var (document, created) = added[next++];
            return new BatchUploadItem(item.Number, item.FileName, document.Id, DocumentResponse.StatusUrlOf(document.Collection, document.Id), document.State, !created);
        }).ToList();
        var accepted = entries.Count(e => e.Duplicate == false);
        var statusUrl = accepted > 0 ? BatchResponse.StatusUrlOf(collection, batchId) : null;
        return TypedResults.Accepted(statusUrl, new BatchUploadResponse(
            accepted,
            entries.Count(e => e.Duplicate == true),
            entries.Count(e => e.Error is not null),
            entries,
            accepted > 0 ? batchId : null,
            statusUrl));
    }

    /// <summary>One item of a batch: its position (the line number, or the file's position), and its upload or why it was refused.</summary>
    private sealed record BatchItem(int Number, string? FileName, DocumentUpload? Upload, IResult? Problem);

    private static bool IsJsonLines(string? contentType) =>
        contentType is not null && JsonLinesTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase));

    private static async Task<List<BatchItem>> ReadLinesAsync(string collection, HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        ReadOnlyMemory<byte> bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        var items = new List<BatchItem>();
        var number = 0;
        while (!bytes.IsEmpty)
        {
            number++;
            var end = bytes.Span.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? ReadOnlyMemory<byte>.Empty : bytes[(end + 1)..];
            if (line.Span.Trim(" \t\r"u8).IsEmpty)
                continue;
            items.Add(ReadLine(collection, number, line.Span, options, limit));
        }

        return items;
    }

    private static BatchItem ReadLine(string collection, int number, ReadOnlySpan<byte> line, JsonSerializerOptions options, long limit)
    {
        // The same checks as a JSON body: UTF-8, no key twice, no lone surrogate, bounded depth.
        if (JsonBodyCheck.Find(line) is var (field, message))
            return new BatchItem(number, null, null, field == "body"
                ? ApiProblems.Invalid("line", message.Replace("The request body", "The line", StringComparison.Ordinal))
                : ApiProblems.Invalid(field, message));
        TextDocumentRequest? document;
        try
        {
            document = JsonSerializer.Deserialize<TextDocumentRequest>(line, options);
        }
        catch (JsonException e)
        {
            var (at, what) = ApiProblems.DescribeJsonError(e);
            return new BatchItem(number, null, null, at == "body"
                ? ApiProblems.Invalid("line", "The line is not a JSON object.")
                : ApiProblems.Invalid(at, what));
        }

        var read = FromText(collection, document, limit);
        return new BatchItem(number, document?.FileName, read.Upload, read.Problem);
    }

    private sealed record FilesRead(List<BatchItem>? Items, IResult? Problem);

    private static async Task<FilesRead> ReadFilesAsync(string collection, HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return new FilesRead(null, ApiProblems.Invalid("file",
                "The multipart body is not valid: its parts do not match the boundary in Content-Type, or it ends early."));
        }

        var errors = new Dictionary<string, string[]>();
        var tags = FormTags(errors, form);
        if (errors.Count > 0)
            return new FilesRead(null, ApiProblems.Invalid(errors));
        var files = form.Files.GetFiles("file");
        var items = new List<BatchItem>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var read = await FromFileAsync(collection, files[i], null, tags, limit, cancellationToken);
            items.Add(new BatchItem(i + 1, Path.GetFileName(files[i].FileName), read.Upload, read.Problem));
        }

        return new FilesRead(items, null);
    }
}
