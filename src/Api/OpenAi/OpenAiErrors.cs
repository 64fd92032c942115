using System.Text.Json.Nodes;

namespace Rag.Api.OpenAi;

/// <summary>Errors in OpenAI's shape: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal static class OpenAiErrors
{
    public static IResult Invalid(string? param, string message, string? code = null) =>
        Error(StatusCodes.Status400BadRequest, "invalid_request_error", param, message, code);

    public static IResult Error(int status, string type, string? param, string message, string? code = null) =>
        Results.Json(Body(type, param, message, code), statusCode: status);

    public static JsonObject Body(string type, string? param, string message, string? code) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
    };
}

/// <summary>A request field OpenAI's API would refuse.</summary>
internal sealed class OpenAiRequestException(string? param, string message, string? code = null) : Exception(message)
{
    public string? Param { get; } = param;

    public string? Code { get; } = code;
}
