using Microsoft.AspNetCore.StaticFiles;

namespace Rag.Api.Startup;

/// <summary>
/// The web console at <c>/</c>: <c>index.html</c> and its modules from wwwroot, with a content security policy that
/// lets the page load nothing and talk to nothing but this service.
/// </summary>
internal static class WebConsole
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseWebConsole(this IApplicationBuilder app)
    {
        app.UseDefaultFiles();
        return app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = Policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // The console changes with the service: always ask whether a file is still current.
                headers.CacheControl = "no-cache";
            },
        });
    }
}
