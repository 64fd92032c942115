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

            http.Items[CallerItem] = caller;
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
