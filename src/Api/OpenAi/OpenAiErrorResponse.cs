namespace Rag.Api.OpenAi;

/// <summary>An error in OpenAI's shape, as <see cref="OpenAiErrors"/> writes it (the OpenAPI document's schema for the OpenAI-compatible endpoints' errors).</summary>
public sealed record OpenAiErrorResponse(OpenAiErrorResponse.Detail Error)
{
    /// <summary>What went wrong: the message, OpenAI's error type, the request field at fault and a code.</summary>
    public sealed record Detail(string Message, string Type, string? Param, string? Code);
}
