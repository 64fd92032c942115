using Rag.Api.Problems;
using Rag.Engine.Collections;

namespace Rag.Api.Auth;

/// <summary>Endpoint filters for API keys: who is calling (401), and may they use this collection (400, 403).</summary>
internal static class AuthFilters
{
    private const string CallerItem = "rag.caller";

    /// <summary>The authenticated caller of the request.</summary>
    public static Caller GetCaller(this HttpContext context) =>
        context.Items[CallerItem] as Caller ?? throw new InvalidOperationException("The endpoint has no authentication filter.");

    /// <summary>Records the authenticated caller (for filters of their own, such as the OpenAI-compatible one).</summary>
    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[CallerItem] = caller;

    /// <summary>
    /// The cache scope of work done for the caller's own text: one API key's cached compression is never
    /// another key's hit (neither the hit count nor the time would tell what someone else compressed).
    /// </summary>
    public static string CacheScope(this Caller caller) => "key:" + caller.Name;

    /// <summary>Requires a valid API key.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>().Authenticate(http.Request);
            if (caller is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return ApiProblems.Unauthorized();
            }

            http.SetCaller(caller);
            return await next(context);
        });

    /// <summary>Requires a valid <c>{collection}</c> route value that the caller's key covers.</summary>
    public static TBuilder RequireCollectionAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var collection = http.Request.RouteValues["collection"] as string;
            if (!CollectionNames.IsValid(collection))
                return ApiProblems.Invalid("collection", $"The collection name must be {CollectionNames.Rule}.");
            if (!http.GetCaller().MayUse(collection!))
                return ApiProblems.Forbidden(collection!);
            return await next(context);
        });
}
