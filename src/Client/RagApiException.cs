using System.Net;
using System.Text.Json.Nodes;

namespace Rag.Client;

/// <summary>
/// The service refused a request; <see cref="Problem"/> holds its RFC 7807 problem details. Transient for 408, 429
/// (see the Retry-After header), 502, 503 and 504: the same request may succeed later.
/// </summary>
public sealed class RagApiException(HttpStatusCode statusCode, JsonObject? problem, string body)
    : Rag.Contracts.RagException(Describe(statusCode, problem, body), (int)statusCode is 408 or 429 or 502 or 503 or 504)
{
    /// <summary>The status the service answered.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The service's problem details, or null when the body was not JSON.</summary>
    public JsonObject? Problem { get; } = problem;

    private static string Describe(HttpStatusCode status, JsonObject? problem, string body)
    {
        if (problem is null)
            return $"Rag answered {(int)status}: {body}";
        var errors = problem["errors"] is JsonObject fields
            ? " " + string.Join(" ", fields.Select(f => string.Join(" ", f.Value!.AsArray().Select(m => m!.GetValue<string>()))))
            : "";
        return $"Rag answered {(int)status}: {problem["title"]} {problem["detail"]}{errors}".TrimEnd();
    }
}
