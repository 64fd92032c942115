using Rag.Engine.Diagnostics;

namespace Rag.Api.Middleware;

/// <summary>
/// Requests whose client went away: the request's token cancels the work (model runs stop
/// mid-run), and when it has unwound this counts it (<c>rag.requests.abandoned</c>) and logs it, so
/// that "the work stopped" can be seen, not assumed.
/// </summary>
internal sealed partial class AbandonedRequests(RequestDelegate next, RagMetrics metrics, ILogger<AbandonedRequests> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            var endpoint = context.GetEndpoint()?.DisplayName ?? context.Request.Path.ToString();
            metrics.RequestAbandoned(endpoint);
            LogAbandoned(endpoint, context.TraceIdentifier);
            if (!context.Response.HasStarted)
                context.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
        }
    }

    [LoggerMessage(EventId = ApiLogEvents.RequestAbandoned, Level = LogLevel.Information, Message = "Request {TraceId} to {Endpoint} was abandoned by its client; its work was cancelled")]
    private partial void LogAbandoned(string endpoint, string traceId);
}
