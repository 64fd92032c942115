using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Rag.Api.Problems;

/// <summary>
/// Turns exceptions into problem details. Request errors found by ASP.NET Core (malformed JSON,
/// a missing body, a body over the size limit) get a 4xx naming the field; anything else is a
/// 500 that says only that something went wrong and gives the trace id to find it in the log.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            httpContext.Response.StatusCode = 499; // the client went away; nobody reads the answer
            return true;
        }

        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => Validation(ApiProblems.DescribeJsonError(json)),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request body is too large.",
                Detail = "Uploads are limited by Rag:Ingestion:MaxUploadBytes.",
            },
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported media type.",
                Detail = "Send the request body as application/json.",
            },
            BadHttpRequestException bad when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                Validation(("body", "A JSON request body is required.")),
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = "The request is not valid." },
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

    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "Unhandled error in request {TraceId}")]
    private partial void LogUnexpected(Exception exception, string traceId);
}
