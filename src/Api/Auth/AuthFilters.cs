using Rag.Contracts;

namespace Rag.Api.Auth;

/// <summary>Endpoint filters for API keys: who is calling (401), and may they use this collection (400, 403).</summary>
internal static class AuthFilters
{
    private const string CallerItem = "rag.caller";

    /// <summary>The authenticated caller of the request.</summary>
    public static Caller GetCaller(this HttpContext context) =>
        context.Items[CallerItem] as Caller ?? throw new InvalidOperationException("The endpoint has no authentication filter.");

    /// <summary>
    /// The caller the request's key names, or null: the key is checked once per request (the body guard
    /// and the endpoint filter both ask), and the answer kept for the rest of it.
    /// </summary>
    public static Caller? Authenticate(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(CallerItem, out var known))
            return known as Caller;
        var caller = context.RequestServices.GetRequiredService<ApiKeyAuthenticator>().Authenticate(context.Request);
        context.Items[CallerItem] = caller;
        return caller;
    }

    /// <summary>
    /// The cache scope of work done for the caller's own text: one API key's cached compression is never
    /// another key's hit (neither the hit count nor the time would tell what someone else compressed).
    /// </summary>
    public static string CacheScope(this Caller caller) => "key:" + caller.Name;

    /// <summary>Requires a valid API key; without one, 401 with <paramref name="unauthorized"/>'s body (problem details by default).</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, Func<IResult>? unauthorized = null) where TBuilder : IEndpointConventionBuilder =>
        (unauthorized is null ? builder.Refuses(StatusCodes.Status401Unauthorized) : builder).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Authenticate() is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return unauthorized?.Invoke() ?? ApiProblems.Unauthorized();
            }

            return await next(context);
        });

    /// <summary>Requires a key with <see cref="ApiKeyOptions.Admin"/> (401 without a key, 403 with another).</summary>
    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireApiKey().Refuses(StatusCodes.Status403Forbidden).AddEndpointFilter(async (context, next) =>
            context.HttpContext.GetCaller().IsAdmin
                ? await next(context)
                : ApiProblems.NotAdmin());

    /// <summary>Requires a valid <c>{collection}</c> route value that the caller's key covers.</summary>
    public static TBuilder RequireCollectionAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden).AddEndpointFilter(async (context, next) =>
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
