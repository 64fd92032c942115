using System.Net;

namespace Rag.Api.Auth;

/// <summary>
/// With authentication off, refuses any request that does not come from this machine — a second
/// guard behind binding to loopback, in case a proxy or a custom endpoint exposes the port.
/// </summary>
internal sealed class LoopbackOnlyMiddleware(RequestDelegate next, ApiKeyAuthenticator authenticator)
{
    public Task InvokeAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (authenticator.Enabled || remote is null || IPAddress.IsLoopback(remote))
            return next(context);

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
