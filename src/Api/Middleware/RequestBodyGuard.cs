using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Rag.Api.Middleware;

/// <summary>
/// The edge of the service for request bodies: each endpoint's size limit (uploads follow
/// <c>Rag:Ingestion:MaxUploadBytes</c>, everything else <c>Rag:Limits:MaxRequestBytes</c>), and JSON
/// bodies read once and checked by <see cref="JsonBodyCheck"/> before any endpoint binds them. A fault is
/// a 400 naming the field, in OpenAI's shape on the OpenAI endpoints (<see cref="OpenAi.OpenAiProblemWriter"/>).
/// Requests without a valid API key pass unread: they get their 401 first.
/// </summary>
internal sealed class RequestBodyGuard(RequestDelegate next, IProblemDetailsService problems, IOptions<RagOptions> options)
{
    /// <summary>The <see cref="HttpContext.Items"/> key of the <see cref="BodyLimit"/> applied to the request.</summary>
    public const string LimitItem = "rag.body-limit";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || !HasBody(context.Request))
        {
            await next(context);
            return;
        }

        var limit = endpoint.Metadata.GetMetadata<UploadEndpoint>() is not null
            ? new BodyLimit(options.Value.Ingestion.MaxUploadBytes + UploadEndpoint.MultipartAllowance, "Rag:Ingestion:MaxUploadBytes")
            : new BodyLimit(options.Value.Limits.MaxRequestBytes, "Rag:Limits:MaxRequestBytes");
        context.Items[LimitItem] = limit;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit.Bytes;

        if (!context.Request.HasJsonContentType() || context.Authenticate() is null)
        {
            await next(context);
            return;
        }

        // Read once (a body over the limit throws 413 here), check, and hand the bytes on.
        // Sized by what arrives, not by what Content-Length claims: a header alone reserves no memory.
        var body = new MemoryStream((int)Math.Min(context.Request.ContentLength ?? 4096, 64 * 1024));
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0 && JsonBodyCheck.Find(body.GetBuffer().AsSpan(0, (int)body.Length)) is var (field, message))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request is not valid.",
                },
            });
            return;
        }

        body.Position = 0;
        context.Request.Body = body;
        await next(context);
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}

/// <summary>The body size limit applied to a request, and the setting that sets it (for the 413's detail).</summary>
internal sealed record BodyLimit(long Bytes, string Setting);

/// <summary>Endpoint metadata: the endpoint takes document uploads, so its bodies may be as large as an upload.</summary>
internal sealed class UploadEndpoint
{
    /// <summary>Room for multipart boundaries and headers, or JSON quoting, on top of the document itself.</summary>
    public const long MultipartAllowance = 1024 * 1024;

    public static readonly UploadEndpoint Instance = new();
}
