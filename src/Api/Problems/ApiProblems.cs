using System.Text.Json;

namespace Rag.Api.Problems;

/// <summary>
/// The service's RFC 7807 answers. Each names what was wrong in terms of the API (a field, a
/// collection, a document) and never carries an exception message or a stack trace.
/// </summary>
internal static class ApiProblems
{
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    /// <summary>A body that is not JSON, or a value of the wrong type: names the field when the JSON path shows it.</summary>
    public static ValidationProblem InvalidJson(JsonException exception)
    {
        var (field, message) = DescribeJsonError(exception);
        return Invalid(field, message);
    }

    /// <summary>The field a JSON error is about, and what to tell the caller (never the parser's own message).</summary>
    internal static (string Field, string Message) DescribeJsonError(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var field = FieldFromPath(exception.Path);
        return field switch
        {
            "body" => (field, "The request body is not valid JSON."),
            // The methods are whatever the registry holds: say which.
            "method" or "compression.method" => (field, $"'{field}' must be one of {string.Join(", ", Rag.Compression.Methods.CompressionMethods.Names)}."),
            _ => (field, "The value has the wrong type or format for this field."),
        };
    }

    public static ProblemHttpResult Unauthorized() =>
        Problem(StatusCodes.Status401Unauthorized, "An API key is required.", "Send 'Authorization: Bearer <key>' with a key configured for this service.");

    public static ProblemHttpResult Forbidden(string collection) =>
        Problem(StatusCodes.Status403Forbidden, "This API key may not use this collection.", $"The key is not scoped to collection '{collection}'.");

    public static ProblemHttpResult NotAdmin() =>
        Problem(StatusCodes.Status403Forbidden, "This API key may not see the service's operation.", "Metrics and jobs need a key configured with \"Admin\": true (Auth:ApiKeys).");

    public static ProblemHttpResult CollectionNotFound(string collection) =>
        Problem(StatusCodes.Status404NotFound, "Collection not found.", $"There is no collection named '{collection}'. A collection is created by its first document.");

    public static ProblemHttpResult DocumentNotFound(string collection, string id) =>
        Problem(StatusCodes.Status404NotFound, "Document not found.", $"There is no document '{id}' in collection '{collection}'.");

    public static ProblemHttpResult BatchNotFound(string collection, string id) =>
        Problem(StatusCodes.Status404NotFound, "Batch not found.", $"There is no batch '{id}' with documents in collection '{collection}' (a batch is what is left of the documents its upload created).");

    public static ProblemHttpResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The upload is too large.", $"Uploads are limited to {limit} bytes (Rag:Ingestion:MaxUploadBytes).");

    public static ProblemHttpResult ContextTooLarge(string field, int limit) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The text to compress is too large.",
        detail: $"'{field}' may hold at most {limit} characters (Rag:Limits:MaxContextCharacters).",
        extensions: new Dictionary<string, object?> { ["field"] = field, ["limit"] = limit });

    public static ProblemHttpResult UnsupportedMediaType(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported media type.",
        detail: detail);

    public static ProblemHttpResult Conflict(string title, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: title,
        detail: detail);

    /// <summary>"$.top_k" → "top_k", "$.tags[2]" → "tags[2]", "$" or none → "body".</summary>
    internal static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
            return "body";
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
