using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

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
        return field == "body"
            ? (field, "The request body is not valid JSON.")
            : (field, "The value has the wrong type or format for this field.");
    }

    public static ProblemHttpResult Unauthorized() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "An API key is required.",
        detail: "Send 'Authorization: Bearer <key>' with a key configured for this service.");

    public static ProblemHttpResult Forbidden(string collection) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "This API key may not use this collection.",
        detail: $"The key is not scoped to collection '{collection}'.");

    public static ProblemHttpResult CollectionNotFound(string collection) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Collection not found.",
        detail: $"There is no collection named '{collection}'. A collection is created by its first document.");

    public static ProblemHttpResult DocumentNotFound(string collection, string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Document not found.",
        detail: $"There is no document '{id}' in collection '{collection}'.");

    public static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The upload is too large.",
        detail: $"Uploads are limited to {limit} bytes (Rag:Ingestion:MaxUploadBytes).");

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
}
