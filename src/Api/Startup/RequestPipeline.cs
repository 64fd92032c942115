using Hangfire;
using Scalar.AspNetCore;
using Rag.Api.Apis;
using Rag.Api.Jobs;
using Rag.Api.Mcp;
using Rag.Api.OpenAi;

namespace Rag.Api.Startup;

/// <summary>The request pipeline: middleware in order, then every endpoint.</summary>
internal static class RequestPipeline
{
    public static WebApplication MapRagApi(this WebApplication app, ServiceRole role)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<AbandonedRequests>();
        app.UseMiddleware<LoopbackOnlyMiddleware>();
        app.UseMiddleware<RequestBodyGuard>();
        // The web console at /: static files that hold no data (every call they make carries the API key).
        app.UseWebConsole();

        app.MapOpenApi();
        // The API reference, from the OpenAPI document, with Scalar's script served by the service itself.
        app.MapScalarApiReference("/docs", o => o
            .WithTitle("Rag API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });

        // Prometheus scrapes the service's metrics here; with API keys configured, only an admin key may.
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAdmin();
        // The ingestion jobs, on whichever storage runs them: admin keys only (they list every tenant's documents).
        app.MapHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new JobsDashboardAuthorization()],
            DashboardTitle = "Rag jobs",
            DisplayStorageConnectionString = false,
            AppPath = "/docs",
        });

        // Tools for agents (Model Context Protocol): the same keys, the key's collections only.
        app.MapRagMcp();

        // OpenAI-compatible: its own API-key check, with errors in OpenAI's shape.
        app.MapChatCompletionsApi();

        var v1 = app.MapGroup("/v1").RequireApiKey();
        v1.MapCollectionsApi();
        v1.MapCompressApi();
        var collection = v1.MapGroup("/collections/{collection}").RequireCollectionAccess();
        collection.MapDocumentsApi();
        collection.MapQueryApi();

        StartupLog.LogStart(app, role);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var root = app.Urls.FirstOrDefault()?.TrimEnd('/') ?? "";
            StartupLog.Ready(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rag.Api"),
                string.Join(", ", app.Urls), root + "/", root + "/docs", root + McpEndpoint.Path, root + "/openapi/v1.json");
        });
        return app;
    }
}
