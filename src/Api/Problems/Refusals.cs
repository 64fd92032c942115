using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Rag.Api.Problems;

/// <summary>
/// Says in the OpenAPI document which refusals an endpoint can answer, as problem details; added where the
/// refusal is made (the key, collection and admission filters) or by the endpoint for its own.
/// </summary>
internal static class Refusals
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    public static TBuilder Refuses<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            var shape = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, shape, ProblemJson));
        }

        return builder;
    }

    /// <summary>What each refusal means, for the OpenAPI document's response descriptions.</summary>
    public static string? Describe(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid: 'errors' names each field and what is wrong with it.",
        StatusCodes.Status401Unauthorized => "No API key, or not a key of this service ('Authorization: Bearer <key>').",
        StatusCodes.Status403Forbidden => "The API key does not cover this collection (or, for operation endpoints, is not an admin key).",
        StatusCodes.Status404NotFound => "No such collection or document.",
        StatusCodes.Status409Conflict => "Not yet: the document has not been parsed; try again when it is ready.",
        StatusCodes.Status413PayloadTooLarge => "The body is over its limit; the detail names the setting that sets it.",
        StatusCodes.Status415UnsupportedMediaType => "The body's media type, or the document's format, is not accepted here.",
        StatusCodes.Status429TooManyRequests => "Every slot for this kind of work is taken and its line is full; Retry-After says when to try again.",
        StatusCodes.Status502BadGateway => "The upstream chat completions server did not answer.",
        StatusCodes.Status503ServiceUnavailable => "No model can answer here (no decoder configured and no upstream).",
        _ => null,
    };
}
