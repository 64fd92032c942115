using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Rag.Engine.Admission;
using Rag.Engine.Diagnostics;

namespace Rag.Api.Problems;

/// <summary>
/// Turns exceptions into problem details. Request errors found by ASP.NET Core (malformed JSON,
/// a missing body, a body over the size limit) get a 4xx naming the field; anything else is a
/// 500 that says only that something went wrong and gives the trace id to find it in the log.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, RagMetrics metrics, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    private const string KestrelCore = "Microsoft.AspNetCore.Server.Kestrel.Core";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            httpContext.Response.StatusCode = 499; // the client went away; nobody reads the answer
            return true;
        }

        if (exception is WorkRejectedException rejected)
        {
            metrics.WorkRejected(rejected.Kind);
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(rejected.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var problem = exception switch
        {
            WorkRejectedException busy => new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "The service is busy.",
                Detail = string.Create(CultureInfo.InvariantCulture,
                    $"Every slot for {busy.Kind.ToString().ToLowerInvariant()} work is taken and its line is full (Rag:Limits:{busy.Kind}); try again in {busy.RetryAfter.TotalSeconds:0} s."),
            },
            BadHttpRequestException { InnerException: JsonException json } => Validation(ApiProblems.DescribeJsonError(json)),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request body is too large.",
                Detail = httpContext.Items[RequestBodyGuard.LimitItem] is BodyLimit limit
                    ? string.Create(CultureInfo.InvariantCulture, $"This endpoint takes bodies of at most {limit.Bytes} bytes ({limit.Setting}).")
                    : "The body is over the service's limit (Rag:Limits:MaxRequestBytes, Rag:Ingestion:MaxUploadBytes for uploads).",
            },
            BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => new ProblemDetails
            {
                Status = StatusCodes.Status408RequestTimeout,
                Title = "The request body arrived too slowly.",
                Detail = "The body must keep arriving at Kestrel's minimum data rate; send it again.",
            },
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported media type.",
                Detail = "Send the request body as application/json.",
            },
            BadHttpRequestException bad when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                Validation(("body", "A JSON request body is required.")),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request is not valid.",
                Detail = "The HTTP request could not be read (its body framing or headers are malformed).",
            },
            // Kestrel reports some malformed framings as a plain IOException (a chunk size past 32 bits: "Bad chunk
            // size data" over an OverflowException); they are the request's fault, not the service's.
            IOException io when io.Source == KestrelCore => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid.",
                Detail = "The HTTP request could not be read (its body framing or headers are malformed).",
            },
            InvalidDataException => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The multipart body is not valid.",
                Detail = "Send multipart/form-data with the document in a field named 'file'.",
            },
            _ => null,
        };

        if (problem is null)
        {
            LogUnexpected(exception, httpContext.TraceIdentifier);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The service log has the details under this request's trace id.",
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static HttpValidationProblemDetails Validation((string Field, string Message) error) =>
        new(new Dictionary<string, string[]> { [error.Field] = [error.Message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
        };

    [LoggerMessage(EventId = ApiLogEvents.UnhandledError, Level = LogLevel.Error, Message = "Unhandled error in request {TraceId}")]
    private partial void LogUnexpected(Exception exception, string traceId);
}
