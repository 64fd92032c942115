using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Rag.Api.OpenAi;

/// <summary>
/// Writes every problem on the OpenAI-compatible paths (<c>/v1/chat/…</c>, <c>/v1/models</c>) in
/// OpenAI's error shape — the framework's own answers too (404, 405, 413, 415, 500), so an OpenAI
/// client always finds <c>error.message</c>. Other paths keep RFC 7807 problem details.
/// </summary>
internal sealed class OpenAiProblemWriter : IProblemDetailsWriter
{
    public static bool Owns(HttpContext context) => Owns(context.Request.Path);

    public static bool Owns(PathString path) =>
        path.StartsWithSegments("/v1/chat", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/v1/models", StringComparison.OrdinalIgnoreCase);

    public bool CanWrite(ProblemDetailsContext context) => Owns(context.HttpContext);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        string? param = null;
        var message = problem.Detail is { } detail ? $"{problem.Title} {detail}".Trim() : status switch
        {
            StatusCodes.Status404NotFound => "Unknown URL. The OpenAI-compatible endpoints are POST /v1/chat/completions and GET /v1/models.",
            StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed here: /v1/chat/completions takes POST, /v1/models GET.",
            StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON (Content-Type: application/json).",
            _ => problem.Title ?? ReasonPhrases.GetReasonPhrase(status),
        };
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation)
        {
            var (field, messages) = validation.Errors.First();
            param = field == "body" ? null : field;
            message = messages.FirstOrDefault() ?? message;
        }

        var (type, code) = status switch
        {
            StatusCodes.Status401Unauthorized => ("invalid_request_error", "invalid_api_key"),
            StatusCodes.Status404NotFound => ("invalid_request_error", "not_found"),
            StatusCodes.Status405MethodNotAllowed => ("invalid_request_error", "method_not_allowed"),
            StatusCodes.Status413PayloadTooLarge => ("invalid_request_error", "request_too_large"),
            StatusCodes.Status415UnsupportedMediaType => ("invalid_request_error", "unsupported_media_type"),
            StatusCodes.Status429TooManyRequests => ("rate_limit_error", "rate_limit_exceeded"),
            >= 500 => ("server_error", null),
            _ => ("invalid_request_error", (string?)null),
        };
        var response = context.HttpContext.Response;
        response.ContentType = "application/json";
        return new ValueTask(response.WriteAsync(OpenAiErrors.Body(type, param, message, code).ToJsonString(), context.HttpContext.RequestAborted));
    }
}
