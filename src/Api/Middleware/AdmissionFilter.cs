using Rag.Engine.Admission;

namespace Rag.Api.Middleware;

/// <summary>
/// Admission for endpoints that run models: the request takes a turn at its kind's
/// <see cref="WorkGate"/> before any work starts and holds it until its response has been sent
/// (a stream included). A full line is a 429 with <c>Retry-After</c> (see the exception handler).
/// </summary>
internal static class AdmissionFilter
{
    /// <summary>Admits requests as <paramref name="kindOf"/> says (null: no model work, no turn needed). Add after the authentication filter.</summary>
    public static TBuilder RequireAdmission<TBuilder>(this TBuilder builder, Func<HttpContext, WorkKind?> kindOf) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (kindOf(http) is not { } kind)
                return await next(context);
            var lease = await http.RequestServices.GetRequiredService<WorkAdmission>()[kind].EnterAsync(http.RequestAborted);
            http.Response.RegisterForDispose(lease);
            return await next(context);
        });
}
