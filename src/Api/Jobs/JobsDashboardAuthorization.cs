using Hangfire.Dashboard;

namespace Rag.Api.Jobs;

/// <summary>
/// Hangfire's dashboard at <c>/jobs</c> is for admin keys only: it lists every tenant's documents (job arguments are
/// collections and document ids), so a key scoped to some collections must not see it. Without a key: 401; with
/// another key: 403. With no keys configured (loopback only) the local caller is admin.
/// </summary>
internal sealed class JobsDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (http.Authenticate() is { } caller)
        {
            // Hangfire answers 403 to an authenticated user it refuses, 401 otherwise.
            http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("name", caller.Name)], "ApiKey"));
            return caller.IsAdmin;
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        return false;
    }
}
